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
}
