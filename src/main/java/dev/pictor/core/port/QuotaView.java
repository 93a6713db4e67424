package dev.pictor.core.port;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * What a member may still do, for {@code /quota} and for refusals: their plan, each limit of it, extra images an
 * admin granted, and the community pool when one applies. {@link dev.pictor.core.text.QuotaSummary} renders it.
 *
 * @param blocked whether an admin blocked this member
 * @param limits  the member's own limits (e.g. "3/1m", "25/1d")
 * @param pool    the community pool's limits, empty outside a community or when it has none
 * @param extra   images an admin granted on top of the plan, spent once the plan's limits run out
 * @param spend   what the member has spent today, when prices are set; else null
 */
public record QuotaView(String plan, boolean blocked, List<Limit> limits, List<Limit> pool, long extra, Spend spend) {
    public QuotaView {
        limits = List.copyOf(limits);
        pool = pool == null ? List.of() : List.copyOf(pool);
        if (extra < 0) throw new IllegalArgumentException("extra images cannot be negative");
    }

    public QuotaView(String plan, boolean blocked, List<Limit> limits, List<Limit> pool) {
        this(plan, blocked, limits, pool, 0);
    }

    public QuotaView(String plan, boolean blocked, List<Limit> limits, List<Limit> pool, long extra) {
        this(plan, blocked, limits, pool, extra, null);
    }

    /** The same view with the member's spend today. */
    public QuotaView withSpend(Spend spend) {
        return new QuotaView(plan, blocked, limits, pool, extra, spend);
    }

    /**
     * What a member spent today (reserved for running jobs included), in {@code currency}, and their own daily cap
     * (null: none).
     */
    public record Spend(BigDecimal spent, BigDecimal cap, String currency) {
    }

    /**
     * One limit: its name as configured, capacity, tokens left, time until the next token comes back (zero when
     * full) and until it is full again.
     */
    public record Limit(String name, long capacity, long remaining, Duration nextIn, Duration fullIn) {
    }
}
