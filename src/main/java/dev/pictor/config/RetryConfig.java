package dev.pictor.config;

import dev.pictor.core.RetryPolicy;

import java.time.Duration;

/**
 * {@code retry}: how often one route is tried before the next ({@code attempts}, at least 1), the first wait
 * ({@code backoff}, doubled each time) and the longest ({@code max-backoff}; a Retry-After above it moves on at once).
 */
public record RetryConfig(Integer attempts, Duration backoff, Duration maxBackoff) {
    public static final RetryConfig DEFAULT = new RetryConfig(null, null, null);

    public RetryConfig {
        attempts = Values.or(attempts, RetryPolicy.DEFAULT.attempts());
        backoff = Values.or(backoff, RetryPolicy.DEFAULT.baseBackoff());
        maxBackoff = Values.or(maxBackoff, RetryPolicy.DEFAULT.maxBackoff());
        Invalid.collector()
                .check(attempts >= 1 && attempts <= 10, "attempts", "must be from 1 to 10, not " + attempts)
                .check(backoff.compareTo(maxBackoff) <= 0, "backoff", "must not be longer than max-backoff (" + Units.format(maxBackoff) + ")")
                .throwIfAny();
    }

    public RetryPolicy toPolicy() {
        return new RetryPolicy(attempts, backoff, maxBackoff);
    }
}
