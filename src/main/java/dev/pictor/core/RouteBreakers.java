package dev.pictor.core;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A circuit breaker per route (resilience4j's {@link CircuitBreaker}, count-based window, on the given clock), keyed
 * by provider and provider model: two models routed to the same upstream share its breaker.
 *
 * <p>{@link #tryEnter} before each call to a route; then exactly one of {@link #succeeded}, {@link #failed} (a
 * transient or unavailable failure: the route's fault) or {@link #released} (a rejected request, a safety block, an
 * interruption: not the route's fault, and not counted). While a breaker is open, {@link #tryEnter} answers false at
 * once; after the cool-off it lets one call through (half-open) and answers false to the others until that call has
 * ended. A failed probe opens the breaker for twice the last cool-off, up to the policy's longest
 * ({@link BreakerPolicy#coolOff(int)}). Besides resilience4j's failure rate, a breaker opens once
 * {@link BreakerPolicy#failingJobs} different jobs in a row failed on the route (told by
 * {@link #failed(Route, Duration, Throwable, String)}; an answer in between starts the count again).
 */
public final class RouteBreakers {
    private static final Logger log = LoggerFactory.getLogger(RouteBreakers.class);

    /** A breaker's state, as {@code /healthz} and {@code /metrics} name it. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        /** {@code closed}, {@code open}, {@code half-open}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One route's breaker: its state and, while open, when it lets a probe through. */
    public record RouteState(String provider, String model, State state, Instant halfOpenAt) {
    }

    private final BreakerPolicy policy;
    private final Clock clock;
    private final boolean enabled;
    private final Map<String, Entry> byRoute = new ConcurrentHashMap<>();

    /**
     * A route's breaker, the cool-off its last opening was given, when that cool-off ends, and the jobs in a row that
     * found it failing ({@link BreakerPolicy#failingJobs}).
     */
    private record Entry(Route route, CircuitBreaker breaker, AtomicReference<Duration> coolOff,
                         AtomicReference<Instant> openUntil, FailingJobs failing) {
    }

    /** The jobs in a row whose calls to a route failed, each counted once (its retries are the same job). */
    private static final class FailingJobs {
        private String lastJob; // guarded by this
        private int inARow;     // guarded by this

        /** A call of {@code job} failed; returns how many different jobs in a row have failed. */
        synchronized int failed(String job) {
            if (!job.equals(lastJob)) {
                lastJob = job;
                inARow++;
            }
            return inARow;
        }

        synchronized void reset() {
            lastJob = null;
            inARow = 0;
        }
    }

    public RouteBreakers(BreakerPolicy policy, Clock clock) {
        this(policy, clock, true);
    }

    private RouteBreakers(BreakerPolicy policy, Clock clock, boolean enabled) {
        this.policy = policy;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** The breaker's settings; {@code coolOff} hears each cool-off resilience4j gives an opening (it counts them). */
    private CircuitBreakerConfig config(AtomicReference<Duration> coolOff) {
        return CircuitBreakerConfig.custom()
                .slidingWindow(policy.window(), policy.minimumCalls(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(policy.failureRate())
                // a slow answer is an answer: only failures open a route (resilience4j's default would also open it
                // when every call of the window took over 60 s, which a busy provider or a queue for its slots does);
                // a hanging route fails by the provider's own timeout, which counts as a failure
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(365))
                .waitIntervalFunctionInOpenState(opening -> {
                    Duration d = policy.coolOff(opening);
                    coolOff.set(d);
                    return d.toMillis();
                })
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
    }

    /** Breakers that never open: every route is always tried (tests of other things, and the default slots). */
    public static RouteBreakers none() {
        return new RouteBreakers(BreakerPolicy.DEFAULT, Clock.systemUTC(), false);
    }

    public BreakerPolicy policy() {
        return policy;
    }

    /**
     * Makes the breakers of {@code routes} known before their first call, so that {@code /metrics} and
     * {@code /healthz} list every route from the start.
     */
    public RouteBreakers register(Iterable<Route> routes) {
        if (enabled) routes.forEach(this::entry);
        return this;
    }

    /** Whether a call to {@code route} may go out now (false: skip it at once). */
    boolean tryEnter(Route route) {
        return !enabled || entry(route).breaker().tryAcquirePermission();
    }

    /** The call let through by {@link #tryEnter} answered. */
    void succeeded(Route route, Duration took) {
        if (!enabled) return;
        Entry e = entry(route);
        e.failing().reset();
        e.breaker().onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The call let through by {@link #tryEnter} failed by the route's fault (transient or unavailable), counted in the
     * failure rate only (no job to count).
     */
    void failed(Route route, Duration took, Throwable why) {
        failed(route, took, why, null);
    }

    /**
     * The call of job {@code jobId} let through by {@link #tryEnter} failed by the route's fault (transient or
     * unavailable): counted in the failure rate, and the job among those in a row that found the route failing; the
     * {@link BreakerPolicy#failingJobs}-th such job opens it.
     */
    void failed(Route route, Duration took, Throwable why, String jobId) {
        if (!enabled) return;
        Entry e = entry(route);
        e.breaker().onError(took.toNanos(), TimeUnit.NANOSECONDS, why);
        if (jobId == null || policy.failingJobs() == 0) return;
        int inARow = e.failing().failed(jobId);
        if (inARow >= policy.failingJobs() && e.breaker().getState() == CircuitBreaker.State.CLOSED) {
            log.info("route {}: {} jobs in a row found it failing", route.key(), inARow);
            try {
                e.breaker().transitionToOpenState();
            } catch (RuntimeException raced) { // resilience4j's IllegalStateTransitionException
                log.debug("route {}: opened meanwhile by another job ({})", route.key(), raced.toString());
            }
        }
    }

    /** The call let through by {@link #tryEnter} ended in a way that says nothing about the route's health. */
    void released(Route route) {
        if (enabled) entry(route).breaker().releasePermission();
    }

    /** When the open breaker of {@code route} lets a probe through, or null when it is not open. */
    Instant halfOpenAt(Route route) {
        if (!enabled) return null;
        Entry e = entry(route);
        return e.breaker().getState() == CircuitBreaker.State.OPEN ? e.openUntil().get() : null;
    }

    /**
     * Whether {@link #tryEnter} would now let a call to {@code route} in, without taking the permission: closed, or
     * open with its cool-off over (the next call is its probe). Half-open answers false: its one probe is out (or was
     * released and is about to be taken again); so does a forced-open breaker. A guess for routing only: another job
     * may take the probe first.
     */
    boolean letsInNow(Route route) {
        if (!enabled) return true;
        Entry e = entry(route);
        return switch (e.breaker().getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> true;
            case OPEN -> {
                Instant until = e.openUntil().get();
                yield until == null || !until.isAfter(clock.instant());
            }
            default -> false;
        };
    }

    /** Every known route's breaker, ordered by provider and model. */
    public List<RouteState> states() {
        var out = new ArrayList<RouteState>();
        for (Entry e : byRoute.values()) {
            State state = switch (e.breaker().getState()) {
                case OPEN, FORCED_OPEN -> State.OPEN;
                case HALF_OPEN -> State.HALF_OPEN;
                default -> State.CLOSED;
            };
            out.add(new RouteState(e.route().provider(), e.route().model(), state, state == State.OPEN ? e.openUntil().get() : null));
        }
        out.sort(Comparator.comparing(RouteState::provider).thenComparing(RouteState::model));
        return out;
    }

    private Entry entry(Route route) {
        return byRoute.computeIfAbsent(route.key(), k -> {
            var coolOff = new AtomicReference<>(policy.coolOff());
            CircuitBreaker breaker = CircuitBreaker.of(k, config(coolOff));
            var entry = new Entry(new Route(route.provider(), route.model()), breaker, coolOff, new AtomicReference<Instant>(),
                    new FailingJobs());
            breaker.getEventPublisher().onStateTransition(ev -> {
                var to = ev.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    Duration off = entry.coolOff().get();
                    entry.openUntil().set(clock.instant().plus(off));
                    log.warn("route {} is failing ({}): skipped for {}, then probed by one job", k,
                            ev.getStateTransition(), off);
                } else if (to == CircuitBreaker.State.CLOSED) {
                    entry.failing().reset();
                    log.info("route {} answers again: its breaker is closed", k);
                }
            });
            return entry;
        });
    }
}
