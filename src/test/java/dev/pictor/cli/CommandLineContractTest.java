package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What every command promises a script or a person at the terminal: help, and one table of exit codes. */
class CommandLineContractTest {

    /** Every command path, e.g. ["check"], ["quota", "plan"]; the help command itself excluded. */
    private static List<List<String>> commandPaths() {
        var ctx = CliContext.of(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        var paths = new ArrayList<List<String>>();
        collect(Cli.commandLine(ctx), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> into) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) return;
            var p = new ArrayList<>(path);
            p.add(name);
            into.add(p);
            collect(sub, p, into);
        });
    }

    @Test
    void every_command_answers_help_and_h_with_its_usage_and_exit_zero() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of("check"), List.of("run"), List.of("imagine"), List.of("quota"), List.of("quota", "plan"));
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                var args = new ArrayList<>(path);
                args.add(flag);
                var run = CliRun.of(Map.of(), args.toArray(String[]::new));
                assertThat(run.exitCode()).as("pictor %s: %s", String.join(" ", args), run.err()).isZero();
                assertThat(run.out()).as("pictor %s", String.join(" ", args)).contains("Usage: pictor " + String.join(" ", path));
            }
        }
    }

    @Test
    void an_unknown_option_is_exit_two_for_every_command() {
        for (List<String> path : commandPaths()) {
            if (path.equals(List.of("imagine"))) continue; // its unknown --flags are the prompt's (see ImagineCommandTest)
            var args = new ArrayList<>(path);
            args.add("--no-such-option");
            var run = CliRun.of(Map.of(), args.toArray(String[]::new));
            assertThat(run.exitCode()).as("pictor %s: %s", String.join(" ", args), run.err()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void the_readme_table_of_exit_codes_is_the_one_pictor_help_prints() throws Exception {
        // given pictor --help
        var help = CliRun.of(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        // then every code it lists is a row of the README's table, with the same words, and there is no other row
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("### Exit codes"));
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("| code |")));
        var rows = Pattern.compile("^\\| (\\d) \\| (.+) \\|$", Pattern.MULTILINE).matcher(table).results()
                .map(m -> m.group(1) + ":" + m.group(2)).toList();
        var listed = List.of(ExitCodes.LIST_OK, ExitCodes.LIST_REFUSED, ExitCodes.LIST_USAGE, ExitCodes.LIST_BAD_CONFIG,
                ExitCodes.LIST_CANNOT_START, ExitCodes.LIST_STORAGE);
        assertThat(rows).containsExactlyElementsOf(listed);
        for (String line : listed) {
            String[] codeAndText = line.split(":", 2);
            assertThat(help.out()).containsPattern("(?m)^\\s+" + codeAndText[0] + "\\s+" + Pattern.quote(codeAndText[1].substring(0, Math.min(20, codeAndText[1].length()))));
        }
    }

    @Test
    void imaginesHelpListsThePromptFlagsFromTheParsersOwnList() {
        var help = CliRun.of(Map.of(), "imagine", "--help");

        String text = help.out().replaceAll("\\s+", " "); // picocli wraps the description at 80 columns

        assertThat(text).contains("Prompt flags (inside the quotes or after them): " + dev.pictor.core.OptionParser.usages() + ".");
        for (var flag : dev.pictor.core.OptionParser.Flag.listed()) assertThat(text).contains(flag.usage());
    }

    @Test
    void each_command_is_run_by_the_name_it_is_listed_under() {
        var ctx = CliContext.of(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Cli.COMMANDS.forEach((name, make) -> assertThat(new CommandLine(make.apply(ctx)).getCommandName()).isEqualTo(name));
        assertThat(Cli.commandLine(ctx).getSubcommands().keySet()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(Cli.COMMANDS.keySet().stream(), java.util.stream.Stream.of("help")).toList());
    }

    @Test
    void a_command_built_alone_to_be_run_reads_and_helps_exactly_as_among_all() {
        // pictor builds only the subcommand its first word names (a faster start); what it prints must not change
        for (List<String> path : commandPaths()) {
            var args = new ArrayList<>(path);
            args.add("--help");
            var alone = new StringWriter();
            int aloneCode = Cli.execute(CliContext.of(Map.of(), new PrintWriter(alone), new PrintWriter(new StringWriter())),
                    args.toArray(String[]::new));
            var all = new StringWriter();
            var allCtx = CliContext.of(Map.of(), new PrintWriter(all), new PrintWriter(new StringWriter()));
            int allCode = Cli.commandLine(allCtx).execute(args.toArray(String[]::new));
            assertThat(aloneCode).isEqualTo(allCode);
            assertThat(alone.toString()).as(String.join(" ", args)).isEqualTo(all.toString()).contains("Usage: pictor " + path.getFirst());
        }
        // and a mistake in the command's own options is told the same way
        for (String bad : List.of("run --no-such-option", "stats --days nope", "quota plan")) {
            var alone = new StringWriter();
            int aloneCode = Cli.execute(CliContext.of(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(alone)), bad.split(" "));
            var all = new StringWriter();
            int allCode = Cli.commandLine(CliContext.of(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(all))).execute(bad.split(" "));
            assertThat(aloneCode).as(bad).isEqualTo(allCode).isEqualTo(ExitCodes.USAGE);
            assertThat(alone.toString()).as(bad).isEqualTo(all.toString());
        }
    }
}
