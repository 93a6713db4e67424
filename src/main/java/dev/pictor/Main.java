package dev.pictor;

import dev.pictor.cli.Cli;
import dev.pictor.cli.CliContext;
import dev.pictor.ops.LogSetup;

/** The entry point of {@code pictor.jar}: the command line (see {@link Cli}), which wires the rest per command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.prepare(System::getenv); // before anything logs
        System.exit(Cli.execute(CliContext.system(), args));
    }
}
