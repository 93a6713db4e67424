package dev.pictor.cli;

import dev.pictor.core.OptionParser;
import dev.pictor.ops.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pictor} command line. Each subcommand is one class, listed here once; each gets only the
 * {@link CliContext} it needs.
 */
@Command(name = "pictor", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "/imagine for Discord servers and Telegram chats.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.LIST_OK, ExitCodes.LIST_REFUSED, ExitCodes.LIST_USAGE, ExitCodes.LIST_BAD_CONFIG,
                ExitCodes.LIST_CANNOT_START, ExitCodes.LIST_STORAGE})
public final class Cli {
    private Cli() {
    }

    /** {@code --version}: the build's version and git commit ({@link BuildInfo}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{BuildInfo.current().describe()};
        }
    }

    public static CommandLine commandLine(CliContext ctx) {
        var cli = new CommandLine(new Cli());
        cli.addSubcommand(new InitCommand(ctx));
        cli.addSubcommand(new CheckCommand(ctx));
        cli.addSubcommand(new RunCommand(ctx));
        cli.addSubcommand(new QuotaCommand(ctx));
        cli.addSubcommand(new StatsCommand(ctx));
        cli.addSubcommand(new ImagineCommand(ctx));
        // The prompt's flags (--ar, --n, …) are the core parser's, not picocli's: pass them through as words.
        CommandLine imagine = cli.getSubcommands().get("imagine");
        imagine.setUnmatchedOptionsArePositionalParams(true);
        var usage = imagine.getCommandSpec().usageMessage();
        usage.description(usage.description()[0],
                "Prompt flags (inside the quotes or after them): " + OptionParser.usages() + ".");
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setExecutionStrategy(new CommandLine.RunLast());
        return cli;
    }

    /** Runs {@code args} and returns the exit code. */
    public static int execute(CliContext ctx, String... args) {
        var cli = commandLine(ctx);
        if (args.length == 0) {
            cli.usage(ctx.err());
            return ExitCodes.USAGE;
        }
        return cli.execute(args);
    }
}
