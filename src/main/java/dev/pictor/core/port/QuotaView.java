package dev.pictor.core.port;

import java.time.Duration;
import java.util.List;

/**
 * What a member may still do, for {@code /quota} and for refusals: their plan, each limit of it, and the
 * community pool when one applies.
 *
 * @param blocked whether an admin blocked this member
 * @param limits  the member's own limits (e.g. "3/1m", "25/1d")
 * @param pool    the community pool's limits, empty outside a community or when it has none
 */
public record QuotaView(String plan, boolean blocked, List<Limit> limits, List<Limit> pool) {
    public QuotaView {
        limits = List.copyOf(limits);
        pool = pool == null ? List.of() : List.copyOf(pool);
    }

    /**
     * One limit: its name as configured, capacity, tokens left, time until the next token comes back (zero when
     * full) and until it is full again.
     */
    public record Limit(String name, long capacity, long remaining, Duration nextIn, Duration fullIn) {
    }
}
