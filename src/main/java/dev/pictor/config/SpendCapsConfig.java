package dev.pictor.config;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * {@code spend-caps}: the most each member ({@code member}), each community ({@code community}: a Discord server, a
 * Telegram group) and the whole bot ({@code bot}) may spend per day, in the configured {@code currency}; a cap left
 * out is none. The day starts at midnight in {@code time-zone} (default UTC; config/pictor.yaml only). A bot profile's
 * {@code spend-caps} replace the config's cap by cap; admins set one community's cap with {@code spendcap}.
 */
public record SpendCapsConfig(BigDecimal member, BigDecimal community, BigDecimal bot, String timeZone) {
    public static final SpendCapsConfig NONE = new SpendCapsConfig(null, null, null, null);

    public SpendCapsConfig {
        timeZone = Values.blank(timeZone) ? null : timeZone.strip();
        var c = Invalid.collector();
        check(c, "member", member);
        check(c, "community", community);
        check(c, "bot", bot);
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                c.add("time-zone", "\"" + timeZone + "\" is not a time zone; write one such as UTC or Europe/Paris");
            }
        }
        c.throwIfAny();
    }

    private static void check(Invalid.Collector c, String key, BigDecimal cap) {
        c.check(cap == null || cap.signum() >= 0, key, "a daily cap is an amount ≥ 0, not " + cap);
    }

    /** The zone whose midnight starts a new day. */
    public ZoneId zone() {
        return timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }
}
