package dev.pictor.core;

import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pictor.core.port.JobObserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tries a model's routes in its order ({@link ModelSpec#routesInTurn}): a transient failure goes to the next route at
 * once when one can take the job (its provider is here and its breaker would let the job in now: closed, or open with
 * its cool-off over, not half-open with its probe out), and is retried with backoff on the same route only when it is
 * the last one left or the provider said when to come back (a Retry-After the retry policy honours); when every later
 * route skips the job after all (its breaker, or a rate with no turn), the job comes back for the retry it gave up, as
 * it would have had without the later routes; an unavailable provider goes straight to the next route; a rejected request or a
 * safety block stops at once. A route whose circuit breaker is open ({@link RouteBreakers}) is skipped at once, with
 * no call and no wait; when every route was skipped so, the member is refused at once, told to come back when the
 * first breaker lets a probe through. A provider with a rate ({@link ProviderSlots}) may make the job wait its turn
 * (shown as queued); a turn further off than the provider's {@code rate-wait} sends the job to the next route.
 */
final class RouteRunner {
    private static final Logger log = LoggerFactory.getLogger(RouteRunner.class);

    /** The error class of a route whose provider's rate had no turn for the job within its wait. */
    static final String RATE_LIMITED = "rate-limited";

    /** The error class of a job refused because the breaker of every route it could take was open. */
    static final String ROUTES_OPEN = "routes-open";

    /** The answer and the route that gave it, or the refusal and the error class when no route could. */
    record Answer(ProviderResult result, Route route, Refusal refusal, String errorClass) {
    }

    private final ProviderSlots providers;
    private final RouteBreakers breakers;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final JobObserver observer;

    RouteRunner(ProviderSlots providers, RetryPolicy retry, Sleeper sleeper, Clock clock, JobObserver observer) {
        this.providers = providers;
        this.breakers = providers.breakers();
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.observer = observer;
    }

    /** What one job has met so far on its way through its routes. */
    private static final class Tries {
        final String jobId;
        final ImagineRequest req;
        final Delivery delivery;
        final List<Route> routes;
        final Runnable onWait;
        final Runnable onResume;
        /** The error class the member's refusal will carry if no route answers. */
        String lastError = "no-route";
        /** When a provider said to come back. */
        Duration retryAfter;
        /** When the first open breaker of these routes lets a probe through. */
        Instant firstProbe;
        /** The route being tried, and the attempt it starts from. */
        int turn;
        int firstAttempt = 1;
        /**
         * A route whose retry was given up for a later route that looked able to take the job, and that retry's
         * attempt; cleared once a later route's call went out. When every later route was skipped after all (its
         * breaker let no call in, or its rate had no turn), the job comes back here for the retry it gave up.
         */
        int deferred = -1;
        int deferredAttempt;
        int comebacks;

        Tries(String jobId, ImagineRequest req, Delivery delivery) {
            this.jobId = jobId;
            this.req = req;
            this.delivery = delivery;
            this.routes = req.model().routesInTurn();
            this.onWait = () -> delivery.progress(Delivery.Progress.QUEUED);
            this.onResume = () -> delivery.progress(Delivery.Progress.GENERATING);
        }

        void probeAt(Instant probe) {
            if (probe != null && (firstProbe == null || probe.isBefore(firstProbe))) firstProbe = probe;
        }
    }

    /** What comes after one call: the job's answer (or its end), another attempt on the route, or the next route. */
    private sealed interface Step permits Done, Go {
    }

    private record Done(Answer answer) implements Step {
    }

    private enum Go implements Step { RETRY, NEXT_ROUTE }

    /** Tries the routes for {@code req}; {@code delivery} hears each call begin and fail, and any wait for a slot. */
    Answer generate(String jobId, ImagineRequest req, Delivery delivery) throws InterruptedException {
        var tries = new Tries(jobId, req, delivery);
        while (true) {
            for (; tries.turn < tries.routes.size(); tries.turn++, tries.firstAttempt = 1) {
                Answer answer = onRoute(tries);
                if (answer != null) return answer;
            }
            if (!comeBack(tries)) return refusal(tries);
        }
    }

    /** Tries the current route, attempt by attempt: the answer, or the end of the job, or null for the next route. */
    private Answer onRoute(Tries t) throws InterruptedException {
        Route route = t.routes.get(t.turn);
        var provider = providers.find(route.provider());
        if (provider.isEmpty()) {
            log.debug("job {}: route {} skipped, provider not enabled", t.jobId, route);
            return null;
        }
        var req = t.req;
        var call = new ProviderCall(route.model(), req.prompt(), req.aspect(), req.count(), req.seed(), req.enhance());
        for (int attempt = t.firstAttempt; attempt <= retry.attempts(); attempt++) {
            if (!breakers.tryEnter(route)) {
                Instant probe = breakers.halfOpenAt(route);
                t.probeAt(probe);
                if ("no-route".equals(t.lastError)) t.lastError = ROUTES_OPEN;
                log.info("job {}: route {} skipped, its breaker is {}", t.jobId, route, probe == null ? "probing" : "open");
                return null;
            }
            Step step = call(t, route, provider.get(), call, attempt);
            if (step instanceof Done done) return done.answer();
            if (step == Go.NEXT_ROUTE) return null;
            // Go.RETRY: the next attempt on this route
        }
        return null;
    }

    /** One call on {@code route}, the breaker entered: what comes after it. */
    private Step call(Tries t, Route route, ProviderSlots.Limited provider, ProviderCall call, int attempt)
            throws InterruptedException {
        // the call's own time starts once it has a slot of the provider: a wait in its queue is not the route's
        Instant[] callStart = {clock.instant()};
        Runnable resumed = () -> {
            callStart[0] = clock.instant();
            t.onResume.run();
        };
        boolean settled = false;
        try {
            t.delivery.calling(route.provider(), attempt);
            ProviderResult result = provider.call(call, t.onWait, resumed, sleeper);
            Duration took = Duration.between(callStart[0], clock.instant());
            breakers.succeeded(route, took);
            settled = true;
            observer.providerCalled(route.provider(), took, null);
            return new Done(new Answer(result, route, null, null));
        } catch (ProviderSlots.OverRate e) {
            // not the route's fault: its breaker hears nothing (released below), no retry, the next route
            t.lastError = RATE_LIMITED;
            log.info("job {}: route {} skipped: {}", t.jobId, route, e.getMessage());
            return Go.NEXT_ROUTE;
        } catch (ProviderException e) {
            t.deferred = -1; // a later route's call went out: the route it was given up for had its turn
            Duration took = Duration.between(callStart[0], clock.instant());
            if (e.kind() == ProviderException.Kind.TRANSIENT || e.kind() == ProviderException.Kind.UNAVAILABLE) {
                breakers.failed(route, took, e, t.jobId);
                settled = true;
            }
            observer.providerCalled(route.provider(), took, e.errorClass());
            if (Thread.currentThread().isInterrupted()) throw new InterruptedException("stopped during a provider call");
            t.lastError = e.errorClass();
            t.delivery.callFailed(route.provider(), attempt, e);
            log.warn("job {}: {} attempt {} failed: {} ({})", t.jobId, route, attempt, e.errorClass(), e.getMessage());
            return switch (e.kind()) {
                case REJECTED -> new Done(failed(Refusal.Reason.REQUEST_REJECTED, t.lastError, null, Text.of(Msg.JOB_REJECTED)));
                case CONTENT_BLOCKED -> new Done(failed(Refusal.Reason.SAFETY_BLOCKED, t.lastError, null,
                        Text.of(Msg.JOB_SAFETY, Refusal.CHARGE, Refusal.NOTHING_CHARGED)));
                case UNAVAILABLE -> Go.NEXT_ROUTE; // straight to the next route
                case TRANSIENT -> afterTransient(t, route, attempt, e);
            };
        } finally {
            // a rejected request, a safety block, an interruption or a bug says nothing about the route
            if (!settled) breakers.released(route);
        }
    }

    /** After a transient failure: a wait and another attempt on the route, or the next route. */
    private Go afterTransient(Tries t, Route route, int attempt, ProviderException e) throws InterruptedException {
        t.retryAfter = e.retryAfter();
        Instant probe = breakers.halfOpenAt(route);
        if (probe != null) {
            // this failure opened the breaker: no wait for an attempt that would be skipped
            t.probeAt(probe);
            return Go.NEXT_ROUTE;
        }
        if (attempt >= retry.attempts()) return Go.NEXT_ROUTE;
        if (e.retryAfter() == null && t.comebacks < t.routes.size() * retry.attempts() && anotherRouteTakes(t.routes, t.turn)) {
            // a later route can take the job now: it goes there at once instead of waiting to ask this failing route
            // again, and the route's breaker hears one failure of it (a provider that said when to come back, a 429's
            // Retry-After, is still waited for); if that route skips the job after all, it comes back for this retry
            log.info("job {}: {} failed; the next route is tried instead of a retry", t.jobId, route);
            t.deferred = t.turn;
            t.deferredAttempt = attempt + 1;
            return Go.NEXT_ROUTE;
        }
        Duration wait = retry.backoff(attempt + 1, e.retryAfter());
        if (wait == null) return Go.NEXT_ROUTE;
        sleeper.sleep(wait);
        return Go.RETRY;
    }

    /**
     * When every route after the one whose retry was given up skipped the job: back to that retry, as it would have
     * been (after its backoff). False when there is none to come back to.
     */
    private boolean comeBack(Tries t) throws InterruptedException {
        if (t.deferred < 0) return false;
        log.info("job {}: the later routes skipped it; {} is retried after all", t.jobId, t.routes.get(t.deferred));
        t.turn = t.deferred;
        t.firstAttempt = t.deferredAttempt;
        t.deferred = -1;
        t.comebacks++;
        Duration wait = retry.backoff(t.firstAttempt, null);
        if (wait != null) sleeper.sleep(wait);
        return true;
    }

    /** The member's refusal when no route answered: when it is known when to try again, it says so. */
    private Answer refusal(Tries t) {
        Duration retryAfter = t.retryAfter;
        if (retryAfter == null && t.firstProbe != null) {
            Duration untilProbe = Duration.between(clock.instant(), t.firstProbe);
            retryAfter = untilProbe.isNegative() ? Duration.ZERO : untilProbe;
        }
        // "Try again in 20 s." instead of "in a few minutes"
        Msg sentence = "no-route".equals(t.lastError) ? Msg.JOB_NO_ROUTE
                : retryAfter != null ? Msg.JOB_PROVIDER_DOWN_BRIEF : Msg.JOB_PROVIDER_DOWN;
        Text why = Text.of(sentence, "model", t.req.model().id(), Refusal.CHARGE, Refusal.NOTHING_CHARGED);
        return failed(Refusal.Reason.PROVIDER_DOWN, t.lastError, retryAfter, why);
    }

    /**
     * Whether a route after {@code turn} has its provider here and a breaker that would let this job in now (closed,
     * or open with its cool-off over, so that this job would be its probe; not half-open, whose one probe is out): it
     * may take the job. Whether its provider's rate has a turn is only known by taking one; a route over its rate
     * (like one whose probe another job took first) skips the job, which then comes back for the retry it gave up.
     */
    private boolean anotherRouteTakes(List<Route> routes, int turn) {
        for (int next = turn + 1; next < routes.size(); next++) {
            Route r = routes.get(next);
            if (providers.find(r.provider()).isEmpty()) continue;
            if (breakers.letsInNow(r)) return true;
        }
        return false;
    }

    private static Answer failed(Refusal.Reason reason, String errorClass, Duration retryAfter, Text text) {
        return new Answer(null, null, new Refusal(reason, text, retryAfter), errorClass);
    }
}
