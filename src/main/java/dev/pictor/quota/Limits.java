package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.port.QuotaView;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns configured limits into Bucket4j bandwidths and reads a bucket's state back per limit.
 *
 * <p>A limit shorter than a day ({@code 3/1m}) refills greedily: its images come back one by one over the period,
 * so a member who paused for 20 s may ask again. A limit of a day or longer ({@code 25/1d}) is an allowance that
 * comes back whole at the end of its period, aligned to 00:00 UTC — what "25 per day" means to members: the same
 * reset time for everyone, a count that does not creep back during the day. Each bandwidth's id is its period
 * ({@code 1m}, {@code 1d}), so that a plan change carries the used count over between limits of the same period.
 */
final class Limits {
    private Limits() {
    }

    static BucketConfiguration configuration(List<LimitSpec> limits) {
        var builder = BucketConfiguration.builder();
        for (LimitSpec s : limits) builder.addLimit(bandwidth(s));
        return builder.build();
    }

    static Bandwidth bandwidth(LimitSpec s) {
        var capacity = Bandwidth.builder().capacity(s.images());
        var refill = s.allowance()
                // first refill one period after the epoch: every later one falls on a UTC day boundary
                ? capacity.refillIntervallyAligned(s.images(), s.period(), Instant.ofEpochMilli(s.period().toMillis()))
                : capacity.refillGreedy(s.images(), s.period());
        return refill.id(s.periodId()).build();
    }

    static LimitSpec spec(Bandwidth b) {
        return LimitSpec.parse(b.getCapacity() + "/" + b.getId());
    }

    /** One limit of a bucket at one instant. */
    record LimitState(LimitSpec spec, long remaining, long nextInNanos, long fullInNanos, BucketState single) {
        /** Nanoseconds until {@code tokens} fit this limit, or {@link Long#MAX_VALUE} if they never can. */
        long delayFor(long tokens, long nowNanos) {
            if (tokens <= remaining) return 0;
            if (tokens > spec.images()) return Long.MAX_VALUE;
            return single.calculateDelayNanosAfterWillBePossibleToConsume(tokens, nowNanos, true);
        }

        QuotaView.Limit view() {
            return new QuotaView.Limit(spec.toString(), spec.images(), remaining, Duration.ofNanos(nextInNanos),
                    Duration.ofNanos(fullInNanos));
        }
    }

    /** Each limit of {@code state} (already refilled to {@code nowNanos}). */
    static List<LimitState> read(BucketState state, BucketConfiguration config, long nowNanos) {
        var out = new ArrayList<LimitState>();
        Bandwidth[] bandwidths = config.getBandwidths();
        for (int i = 0; i < bandwidths.length; i++) {
            Bandwidth b = bandwidths[i];
            // the same bucket reduced to this one limit (refill time and rounding kept) answers per-limit questions
            BucketState single = state.copy().replaceConfiguration(
                    BucketConfiguration.builder().addLimit(b).build(), TokensInheritanceStrategy.AS_IS, nowNanos);
            long remaining = state.getCurrentSize(i);
            long next = remaining >= b.getCapacity() ? 0
                    : single.calculateDelayNanosAfterWillBePossibleToConsume(remaining + 1, nowNanos, false);
            out.add(new LimitState(spec(b), remaining, Math.max(0, next), Math.max(0, single.calculateFullRefillingTime(nowNanos)), single));
        }
        return out;
    }
}
