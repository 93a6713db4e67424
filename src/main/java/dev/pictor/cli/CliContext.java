package dev.pictor.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * What every command reads from the outside world: the environment (for {@code ${VAR}} in the configuration) and
 * where to write. Tests give their own.
 */
public record CliContext(Function<String, String> env, PrintWriter out, PrintWriter err) {
    /**
     * The process's own: stdout for the command's output; stderr for its messages, which become JSON log lines when
     * {@code PICTOR_LOG_FORMAT=json} (so that stderr holds only JSON then).
     */
    public static CliContext system() {
        return new CliContext(System::getenv,
                new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(dev.pictor.ops.LogSetup.json() ? dev.pictor.ops.LogSetup.lines()
                        : new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    public static CliContext of(Map<String, String> env, PrintWriter out, PrintWriter err) {
        return new CliContext(env::get, out, err);
    }
}
