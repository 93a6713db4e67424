package dev.pictor.core;

import java.time.Duration;

/**
 * When a route's circuit breaker opens and for how long: once at least {@code minimumCalls} of the last
 * {@code window} calls to the route were made and {@code failureRate} percent or more of them failed (a transient or
 * unavailable failure; a rejected request or a safety block is not the route's fault), or once {@code failingJobs}
 * different jobs in a row found it failing (0: this rule is off), the route is skipped at once for {@code coolOff};
 * then one job probes it, and its success closes the breaker. A failed probe opens it again for twice the previous
 * cool-off, at most {@code maxCoolOff} (equal to {@code coolOff}: always the same), so that a long outage costs few
 * probes — each probe of a route that hangs makes one member wait a whole timeout.
 *
 * <p>{@code failingJobs} counts jobs, not calls: the retries of one job on one route are one job's bad luck, so a
 * single hiccup never opens a route (which, for a model with no other route, would refuse its members for the whole
 * cool-off); two members' jobs failing one after the other are an outage.
 */
public record BreakerPolicy(int failureRate, int window, int minimumCalls, Duration coolOff, Duration maxCoolOff,
                            int failingJobs) {
    /** Two jobs in a row that found a route failing open it (see the class). */
    public static final int FAILING_JOBS = 2;

    /**
     * Half of the last 10 calls, at least 3 of them, or 2 failing jobs in a row; then 30 s off, doubled after each
     * failed probe up to 10 min. A dead first route costs 2 calls before it is skipped (one of each of two jobs: a job
     * that has another route does not retry a failing one) — 3 for a model with no other route (two attempts of the
     * first job, one of the second, with {@code retry.attempts: 2}).
     */
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(50, 10, 3, Duration.ofSeconds(30), Duration.ofMinutes(10));

    /** A policy opening also after {@value #FAILING_JOBS} failing jobs in a row. */
    public BreakerPolicy(int failureRate, int window, int minimumCalls, Duration coolOff, Duration maxCoolOff) {
        this(failureRate, window, minimumCalls, coolOff, maxCoolOff, FAILING_JOBS);
    }

    /** A policy whose cool-off stays the same after a failed probe. */
    public BreakerPolicy(int failureRate, int window, int minimumCalls, Duration coolOff) {
        this(failureRate, window, minimumCalls, coolOff, coolOff);
    }

    /** How long the route is skipped after its {@code opening}-th opening in a row (1: the first, 2: a failed probe…). */
    public Duration coolOff(int opening) {
        Duration d = coolOff;
        for (int i = 1; i < opening && d.compareTo(maxCoolOff) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(maxCoolOff) > 0 ? maxCoolOff : d;
    }

    public BreakerPolicy {
        if (failureRate < 1 || failureRate > 100) throw new IllegalArgumentException("failureRate must be from 1 to 100, not " + failureRate);
        if (window < 1) throw new IllegalArgumentException("window must be at least 1, not " + window);
        if (minimumCalls < 1 || minimumCalls > window) {
            throw new IllegalArgumentException("minimumCalls must be from 1 to the window (" + window + "), not " + minimumCalls);
        }
        if (coolOff == null || coolOff.isNegative() || coolOff.isZero()) throw new IllegalArgumentException("coolOff must be longer than 0s");
        if (maxCoolOff == null || maxCoolOff.compareTo(coolOff) < 0) throw new IllegalArgumentException("maxCoolOff must not be shorter than coolOff");
        if (failingJobs < 0 || failingJobs > window) {
            throw new IllegalArgumentException("failingJobs must be from 0 (off) to the window (" + window + "), not " + failingJobs);
        }
    }
}
