package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One limit of a plan as written in the configuration: {@code "3/1m"} is 3 images per minute, {@code "25/1d"} 25 per
 * day. Units: s, m, h, d.
 */
public record QuotaLimit(long images, Duration period) {
    private static final Pattern LIMIT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([smhd])");

    public QuotaLimit {
        if (images < 1) throw new IllegalArgumentException("a limit allows at least 1 image");
        if (period == null || period.isZero() || period.isNegative()) throw new IllegalArgumentException("a limit needs a positive period");
    }

    @JsonCreator
    public static QuotaLimit parse(String text) {
        var m = LIMIT.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) < 1 || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < 1)) {
            throw new IllegalArgumentException("bad limit \"" + text + "\": write IMAGES/PERIOD with a unit s, m, h or d, e.g. \"3/1m\" or \"25/1d\"");
        }
        long n = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        return new QuotaLimit(Long.parseLong(m.group(1)), Units.duration(n + m.group(3)));
    }

    /** The limit as written: {@code 3/1m}. */
    @JsonValue
    @Override
    public String toString() {
        return images + "/" + Units.format(period);
    }
}
