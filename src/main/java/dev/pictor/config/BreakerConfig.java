package dev.pictor.config;

import dev.pictor.core.BreakerPolicy;

import java.time.Duration;

/**
 * {@code routing.breaker}: a route is skipped at once for {@code cool-off} once {@code failure-rate} percent of its
 * last {@code window} calls failed (a timeout, a 429 or 5xx, an unusable answer; a refused request or a safety block
 * does not count), judged once at least {@code minimum-calls} of them were made, or once {@code failing-jobs} jobs in
 * a row found it failing (a job's retries count once; 0: off); after the cool-off one job probes it, and its success
 * closes the breaker, while its failure opens it again for twice the last cool-off, at most {@code max-cool-off}.
 * Defaults: 50 % of the last 10 calls, at least 3, or 2 failing jobs; cool-off 30s, max-cool-off 10m.
 */
public record BreakerConfig(Integer failureRate, Integer window, Integer minimumCalls, Duration coolOff,
                            Duration maxCoolOff, Integer failingJobs) {
    public static final BreakerConfig DEFAULT = new BreakerConfig(null, null, null, null, null, null);
    static final int MAX_WINDOW = 1000;

    public BreakerConfig {
        failureRate = Values.or(failureRate, BreakerPolicy.DEFAULT.failureRate());
        window = Values.or(window, BreakerPolicy.DEFAULT.window());
        minimumCalls = Values.or(minimumCalls, Math.min(window, BreakerPolicy.DEFAULT.minimumCalls()));
        coolOff = Values.or(coolOff, BreakerPolicy.DEFAULT.coolOff());
        maxCoolOff = Values.or(maxCoolOff, coolOff.compareTo(BreakerPolicy.DEFAULT.maxCoolOff()) > 0 ? coolOff : BreakerPolicy.DEFAULT.maxCoolOff());
        failingJobs = Values.or(failingJobs, Math.min(window, BreakerPolicy.DEFAULT.failingJobs()));
        Invalid.collector()
                .check(failureRate >= 1 && failureRate <= 100, "failure-rate", "is a percentage from 1 to 100, not " + failureRate)
                .check(window >= 1 && window <= MAX_WINDOW, "window", "is a number of calls from 1 to " + MAX_WINDOW + ", not " + window)
                .check(minimumCalls >= 1 && minimumCalls <= window, "minimum-calls", "must be from 1 to the window (" + window + "), not " + minimumCalls)
                .check(!coolOff.isZero() && !coolOff.isNegative(), "cool-off", "must be longer than 0s")
                .check(maxCoolOff.compareTo(coolOff) >= 0, "max-cool-off", "must not be shorter than cool-off (" + Units.format(coolOff) + ")")
                .check(failingJobs >= 0 && failingJobs <= window, "failing-jobs", "must be from 0 (off) to the window (" + window + "), not " + failingJobs)
                .throwIfAny();
    }

    public BreakerPolicy toPolicy() {
        return new BreakerPolicy(failureRate, window, minimumCalls, coolOff, maxCoolOff, failingJobs);
    }
}
