package dev.pictor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code pictor check [--online]}: validates the configuration and the bot profiles and prints what {@code run} would
 * start; with {@code --online} it also asks each service whether it takes the configured key or token.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate the configuration and bot profiles; print what run would start.")
final class CheckCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @picocli.CommandLine.Option(names = "--online", description = "Also ask each service whether it takes its key or token"
            + " (getMe, users/@me, a provider call that costs nothing); exit code 3 if one does not.")
    boolean online;

    CheckCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var loaded = options.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        var report = new CheckReport(loaded);
        report.print(ctx.out());
        if (online && new OnlineCheck(loaded).run(ctx.out()) > 0) return ExitCodes.BAD_CONFIG;
        return ExitCodes.OK;
    }
}
