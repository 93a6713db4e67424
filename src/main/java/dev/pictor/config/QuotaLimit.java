package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One limit of a plan as written in the configuration: {@code "3/1m"} is 3 images per minute, {@code "25/1d"} 25 per
 * day. Units: s, m, h, d; a missing amount is 1 ({@code "10/h"}). The unit is kept as written: the quota treats a
 * day-long limit ({@code 1d}) as an allowance that comes back whole, and {@code 24h} as a rate.
 */
public record QuotaLimit(long images, long amount, char unit) {
    private static final Pattern LIMIT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([smhd])");
    private static final Duration LONGEST = Duration.ofDays(3650);

    public QuotaLimit {
        if (images < 1) throw new IllegalArgumentException("a limit allows at least 1 image");
        if (amount < 1) throw new IllegalArgumentException("a limit's period is at least 1" + unit);
        if ("smhd".indexOf(unit) < 0) throw new IllegalArgumentException("a limit's unit is s, m, h or d");
    }

    @JsonCreator
    public static QuotaLimit parse(String text) {
        var m = LIMIT.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        long amount = m.matches() ? (m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2))) : 0;
        if (!m.matches() || Long.parseLong(m.group(1)) < 1 || amount < 1) {
            throw new IllegalArgumentException("bad limit \"" + text + "\": write IMAGES/PERIOD with a unit s, m, h or d, e.g. \"3/1m\" or \"25/1d\"");
        }
        var limit = new QuotaLimit(Long.parseLong(m.group(1)), amount, m.group(3).charAt(0));
        if (limit.period().compareTo(LONGEST) > 0) throw new IllegalArgumentException("bad limit \"" + text + "\": the longest period is 3650d");
        return limit;
    }

    public Duration period() {
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The period as written: {@code 1m}, {@code 24h}, {@code 1d}. */
    public String periodText() {
        return amount + String.valueOf(unit);
    }

    /** The limit as written: {@code 3/1m}. */
    @JsonValue
    @Override
    public String toString() {
        return images + "/" + periodText();
    }
}
