package dev.pictor.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Durations ({@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h}, {@code 1d}) and sizes ({@code 20MB}) as admins write them. */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kb|mb|gb)?");

    private Units() {
    }

    /** Parses {@code 30s}; throws {@link IllegalArgumentException} with a sentence saying how to write it. */
    public static Duration duration(String text) {
        var m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration \"" + text + "\": write a whole number and a unit ms, s, m, h or d, e.g. \"30s\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** How a duration is written back: the largest unit that divides it. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** Parses a byte count: {@code 20971520}, {@code 512KB}, {@code 20MB}, {@code 1GB} (binary multiples). */
    public static long bytes(String text) {
        var m = SIZE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size \"" + text + "\": write a number of bytes or a number with KB, MB or GB, e.g. \"20MB\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
            case "kb" -> n << 10;
            case "mb" -> n << 20;
            case "gb" -> n << 30;
            default -> n;
        };
    }
}
