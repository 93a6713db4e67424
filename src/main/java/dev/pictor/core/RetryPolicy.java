package dev.pictor.core;

import java.time.Duration;

/**
 * How hard the core tries one route before moving to the next: {@code attempts} calls in all, waiting
 * {@code baseBackoff} doubled each time (at most {@code maxBackoff}) or what the provider's Retry-After asks. A
 * Retry-After longer than {@code maxBackoff} is not waited for: the next route is tried at once.
 */
public record RetryPolicy(int attempts, Duration baseBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8));

    public RetryPolicy {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
        if (baseBackoff.isNegative() || maxBackoff.isNegative()) throw new IllegalArgumentException("negative backoff");
    }

    /** The wait before attempt {@code next} (2, 3, …), or null when the provider asks for more than we wait. */
    Duration backoff(int next, Duration retryAfter) {
        if (retryAfter != null) return retryAfter.compareTo(maxBackoff) <= 0 ? retryAfter : null;
        long millis = baseBackoff.toMillis() << Math.min(20, next - 2);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
