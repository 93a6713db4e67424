package dev.pictor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code pictor run}: starts every bot profile whose token is set, plus the HTTP endpoints. In this build no bot
 * adapter is wired yet, so it says what it would start and that it cannot, and exits with
 * {@link ExitCodes#UNAVAILABLE}.
 */
@Command(name = "run", description = "Start every bot whose token is set, and the HTTP endpoints.")
final class RunCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var loaded = options.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        var report = new CheckReport(loaded);
        report.warnings().forEach(w -> ctx.err().println("warning: " + w));
        ctx.err().println(report.summary());
        ctx.err().println("pictor run: the Discord and Telegram adapters are not part of this build yet, so nothing was started."
                + " Use `pictor imagine` to generate from the terminal.");
        ctx.err().flush();
        return ExitCodes.UNAVAILABLE;
    }
}
