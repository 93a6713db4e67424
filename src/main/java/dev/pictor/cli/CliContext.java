package dev.pictor.cli;

import dev.pictor.core.text.Languages;
import dev.pictor.core.text.Messages;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What every command reads from the outside world: the environment (for {@code ${VAR}} in the configuration) and
 * where to write. Tests give their own.
 */
public record CliContext(Function<String, String> env, PrintWriter out, PrintWriter err, boolean terminal) {
    /** {@code terminal}: whether a person watches stderr (a console, plain text), so that a line may be redrawn. */
    public CliContext(Function<String, String> env, PrintWriter out, PrintWriter err) {
        this(env, out, err, false);
    }

    /**
     * The process's own: stdout for the command's output; stderr for its messages, which become JSON log lines when
     * {@code PICTOR_LOG_FORMAT=json} (so that stderr holds only JSON then).
     */
    public static CliContext system() {
        boolean json = dev.pictor.ops.LogSetup.json();
        var console = System.console();
        return new CliContext(System::getenv,
                new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(json ? dev.pictor.ops.LogSetup.lines()
                        : new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                !json && isTerminal(console));
    }

    /**
     * The operator's language, as the terminal says it: {@code LC_ALL}, then {@code LC_MESSAGES}, then {@code LANG}
     * (e.g. {@code de_DE.UTF-8} → German), when pictor ships it; English otherwise (and for {@code C} or {@code POSIX}).
     */
    public Locale locale() {
        for (String name : new String[]{"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = env.apply(name);
            if (value == null || value.isBlank()) continue;
            String tag = value.strip().replaceAll("[.@].*$", "").replace('_', '-');
            if (tag.equals("C") || tag.equals("POSIX")) return Messages.ENGLISH;
            return Languages.supported(tag).orElse(Messages.ENGLISH);
        }
        return Messages.ENGLISH;
    }

    public static CliContext of(Map<String, String> env, PrintWriter out, PrintWriter err) {
        return new CliContext(env::get, out, err);
    }

    /** Java 22+ says whether the console is a terminal; on 21, a console exists only when it is one. */
    private static boolean isTerminal(java.io.Console console) {
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
