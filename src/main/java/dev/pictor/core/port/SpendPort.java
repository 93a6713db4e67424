package dev.pictor.core.port;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;

import java.util.Optional;

/**
 * Daily spend caps in the configured currency (config {@code spend-caps}): before a provider is called, a job's
 * expected cost is reserved on every cap that applies to its member (their own, their community's, the bot's) or on
 * none; after, the reservation is settled with what the answer really cost, or released when nothing was paid.
 */
public interface SpendPort {
    /** No caps: every reservation passes and nothing is recorded. */
    SpendPort NONE = new SpendPort() {
        @Override
        public Optional<Refusal> reserve(String jobId, Requester who, double expected) {
            return Optional.empty();
        }

        @Override
        public void settle(String jobId, double actual) {
        }

        @Override
        public void release(String jobId) {
        }
    };

    /**
     * Holds {@code expected} (≥ 0) for job {@code jobId} on every cap of {@code who}, all or none. Empty: held (or no
     * cap applies); else the refusal naming whose cap it would pass and when that cap's day resets.
     */
    Optional<Refusal> reserve(String jobId, Requester who, double expected);

    /** Replaces the job's reservation by what it really cost; does nothing for a job with no open reservation. */
    void settle(String jobId, double actual);

    /** Gives the job's reservation back (the job paid nothing); does nothing for a job with no open reservation. */
    void release(String jobId);
}
