package dev.pictor.quota;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * The daily spend caps ({@code spend-caps}), in the configured currency: the config's caps, each bot profile's own
 * (a cap a profile sets replaces the config's), and the time zone whose midnight starts a new day.
 *
 * @param currency the ISO code amounts are in (for the sentences members read)
 * @param defaults the config's caps
 * @param profiles each bot profile's caps, by profile name; a null cap there falls back to {@code defaults}
 * @param zone     where a day starts and ends ({@code spend-caps.time-zone}, default UTC)
 * @param priced   whether any route has a price, so that {@code /quota} shows a member's spend today
 */
public record SpendSettings(String currency, Caps defaults, Map<String, Caps> profiles, ZoneId zone, boolean priced) {
    public SpendSettings {
        Objects.requireNonNull(currency, "currency");
        defaults = defaults == null ? Caps.NONE : defaults;
        profiles = profiles == null ? Map.of() : Map.copyOf(profiles);
        zone = zone == null ? ZoneId.of("UTC") : zone;
    }

    /** Settings of a catalog without prices. */
    public SpendSettings(String currency, Caps defaults, Map<String, Caps> profiles, ZoneId zone) {
        this(currency, defaults, profiles, zone, false);
    }

    /** The caps that apply to a job of bot profile {@code profile} (null: the config's). */
    public Caps of(String profile) {
        Caps p = profile == null ? null : profiles.get(profile);
        return p == null ? defaults : p.over(defaults);
    }

    /** Caps per member, per community and per bot for one day; null: none at that level. */
    public record Caps(BigDecimal member, BigDecimal community, BigDecimal bot) {
        public static final Caps NONE = new Caps(null, null, null);

        public Caps {
            check("member", member);
            check("community", community);
            check("bot", bot);
        }

        private static void check(String key, BigDecimal cap) {
            if (cap != null && cap.signum() < 0) throw new IllegalArgumentException("spend-caps." + key + " cannot be negative");
        }

        /** These caps, each missing one taken from {@code base}. */
        Caps over(Caps base) {
            return new Caps(member != null ? member : base.member, community != null ? community : base.community,
                    bot != null ? bot : base.bot);
        }
    }

    /** Whether any route of {@code catalog} has a price. */
    public static boolean priced(dev.pictor.core.ModelCatalog catalog) {
        return catalog.all().stream().flatMap(m -> m.routes().stream()).anyMatch(r -> r.price() != null);
    }

    /** An amount in millionths of the currency, rounded up (a cap or a cost is never under-counted). */
    public static long micros(BigDecimal amount) {
        return amount.movePointRight(6).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long micros(double amount) {
        return micros(BigDecimal.valueOf(amount));
    }

    static BigDecimal amount(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }
}
