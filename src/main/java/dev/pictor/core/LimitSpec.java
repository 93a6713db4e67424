package dev.pictor.core;

import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One limit of a plan as configured, {@code "25/1d"}: at most {@code images} images per {@code period}. Units are
 * {@code s}, {@code m}, {@code h} and {@code d}. Limits of a day or longer are allowances that come back whole at the
 * end of their period (UTC days); shorter ones are rates whose images trickle back one by one.
 */
public record LimitSpec(long images, long amount, char unit) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([smhd])\\s*");

    public LimitSpec {
        if (images < 1) throw new IllegalArgumentException("a limit allows at least 1 image");
        if (amount < 1) throw new IllegalArgumentException("a limit's period is at least 1 " + unit);
        if ("smhd".indexOf(unit) < 0) throw new IllegalArgumentException("unit must be s, m, h or d");
        if (amount * switch (unit) { case 's' -> 1L; case 'm' -> 60L; case 'h' -> 3_600L; default -> 86_400L; } > 3650L * 86_400) {
            throw new IllegalArgumentException("a limit's period is at most 3650 days");
        }
    }

    /** Parses {@code "3/1m"}, {@code "25/1d"}, {@code "10/h"} (a missing amount is 1). */
    public static LimitSpec parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a limit: write images/period, e.g. \"3/1m\" or \"25/1d\" (units s, m, h, d)");
        }
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        return new LimitSpec(Long.parseLong(m.group(1)), amount, m.group(3).charAt(0));
    }

    public Duration period() {
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Whether the images come back all at once at the end of the period (a day or longer) or one by one. */
    public boolean allowance() {
        return unit == 'd';
    }

    /** The period as a limit's id, shared by limits of the same period in different plans: {@code "1d"}. */
    public String periodId() {
        return amount + String.valueOf(unit);
    }

    /** The period as the catalog words it: {@code "per day"}, {@code "per 6 hours"} in English. */
    public Text per() {
        return Text.of(Msg.LIMIT_PER, "unit", String.valueOf(unit), "amount", amount);
    }

    /** The stretch of time the limit counts over, as a member reads it: {@code "today"}, {@code "this minute"}. */
    public Text window() {
        return Text.of(Msg.LIMIT_WINDOW, "unit", String.valueOf(unit), "amount", amount);
    }

    @Override
    public String toString() {
        return images + "/" + amount + unit;
    }
}
