package dev.pictor.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code PICTOR_LOG_FORMAT} ({@code text} or {@code json}) and {@code PICTOR_LOG_LEVEL} (ERROR, WARN, INFO,
 * DEBUG, TRACE) before logback starts and hands {@link LogConfig} only values it knows ({@code pictor.log.format},
 * {@code pictor.log.level}): a value it does not know falls back to the default with one warning, instead of
 * dropping every line (an unknown appender) or meaning DEBUG (logback's reading of an unknown level).
 */
public final class LogSetup {
    static final Set<String> FORMATS = Set.of("text", "json");
    static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
    private static volatile boolean json;

    private LogSetup() {
    }

    /** Call first in {@code main}, before anything logs; returns the warnings, already logged once. */
    public static List<String> prepare(Function<String, String> env) {
        var warnings = new ArrayList<String>();
        String format = env.apply("PICTOR_LOG_FORMAT");
        String chosenFormat = "text";
        if (format != null && !format.isBlank()) {
            String f = format.strip().toLowerCase(Locale.ROOT);
            if (FORMATS.contains(f)) chosenFormat = f;
            else warnings.add("PICTOR_LOG_FORMAT=" + shown(format) + " is not a log format pictor knows (text, json); using text");
        }
        String level = env.apply("PICTOR_LOG_LEVEL");
        String chosenLevel = "INFO";
        if (level != null && !level.isBlank()) {
            String l = level.strip().toUpperCase(Locale.ROOT);
            if (LEVELS.contains(l)) chosenLevel = l;
            else warnings.add("PICTOR_LOG_LEVEL=" + shown(level) + " is not a log level pictor knows ("
                    + String.join(", ", LEVELS) + "); using INFO");
        }
        System.setProperty("pictor.log.format", chosenFormat);
        System.setProperty("pictor.log.level", chosenLevel);
        json = chosenFormat.equals("json");
        Logger log = LoggerFactory.getLogger(LogSetup.class);
        warnings.forEach(log::warn);
        return warnings;
    }

    /** Whether {@link #prepare} chose JSON lines. */
    public static boolean json() {
        return json;
    }

    private static String shown(String value) {
        String v = value.strip();
        return v.length() > 20 ? v.substring(0, 20) + "…" : v;
    }

    /**
     * A writer for the command line's own messages on stderr when logs are JSON: each line becomes one log event of
     * the logger {@code pictor} (WARN for a line that starts with "warning:"), so that stderr holds nothing but JSON.
     */
    public static Writer lines() {
        Logger log = LoggerFactory.getLogger("pictor");
        return new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(char[] chars, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    char c = chars[i];
                    if (c == '\n') emit();
                    else if (c != '\r') line.append(c);
                }
            }

            private void emit() {
                String text = line.toString();
                line.setLength(0);
                if (text.isBlank()) return;
                if (text.startsWith("warning: ")) log.warn(text.substring("warning: ".length()));
                else log.info(text);
            }

            @Override
            public void flush() {
            }

            @Override
            public synchronized void close() {
                if (!line.isEmpty()) emit();
            }
        };
    }
}
