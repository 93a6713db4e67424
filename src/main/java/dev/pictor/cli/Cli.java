package dev.pictor.cli;

import dev.pictor.core.OptionParser;
import dev.pictor.ops.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

    /**
     * Every subcommand, by the name it is run with (its {@code @Command} name), in the order {@code --help} lists
     * them.
     */
    static final Map<String, Function<CliContext, Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("init", InitCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("quota", QuotaCommand::new);
        COMMANDS.put("stats", StatsCommand::new);
        COMMANDS.put("imagine", ImagineCommand::new);
    }

    public static CommandLine commandLine(CliContext ctx) {
        return commandLine(ctx, COMMANDS.keySet());
    }

    /** The command line with only the subcommands {@code names} (and help). */
    static CommandLine commandLine(CliContext ctx, Collection<String> names) {
        var cli = new CommandLine(new Cli());
        for (String name : names) cli.addSubcommand(COMMANDS.get(name).apply(ctx));
        // The prompt's flags (--ar, --n, …) are the core parser's, not picocli's: pass them through as words.
        CommandLine imagine = cli.getSubcommands().get("imagine");
        if (imagine != null) {
            imagine.setUnmatchedOptionsArePositionalParams(true);
            var usage = imagine.getCommandSpec().usageMessage();
            usage.description(usage.description()[0],
                    "Prompt flags (inside the quotes or after them): " + OptionParser.usages() + ".");
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setExecutionStrategy(new CommandLine.RunLast());
        return cli;
    }

    /** Runs {@code args} and returns the exit code. */
    public static int execute(CliContext ctx, String... args) {
        // only the subcommand being run is built when the first word names one: picocli reads every option of every
        // command it is given, about 0.15 s of a cold start for all of them (issue #15); anything else sees them all
        var cli = args.length > 0 && COMMANDS.containsKey(args[0]) ? commandLine(ctx, List.of(args[0])) : commandLine(ctx);
        if (args.length == 0) {
            cli.usage(ctx.err());
            return ExitCodes.USAGE;
        }
        return cli.execute(args);
    }
}
