package dev.pictor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code pictor check}: validates the configuration and the bot profiles and prints what {@code run} would start. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate the configuration and bot profiles; print what run would start.")
final class CheckCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    CheckCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var loaded = options.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        var report = new CheckReport(loaded);
        report.print(ctx.out());
        return ExitCodes.OK;
    }
}
