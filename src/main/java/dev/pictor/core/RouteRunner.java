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

/**
 * Tries a model's routes in order: a transient failure is retried with backoff and then handed to the next route;
 * an unavailable provider goes straight to the next route; a rejected request or a safety block stops at once.
 */
final class RouteRunner {
    private static final Logger log = LoggerFactory.getLogger(RouteRunner.class);

    /** The answer and the route that gave it, or the refusal and the error class when no route could. */
    record Answer(ProviderResult result, Route route, Refusal refusal, String errorClass) {
    }

    private final ProviderSlots providers;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final JobObserver observer;

    RouteRunner(ProviderSlots providers, RetryPolicy retry, Sleeper sleeper, Clock clock, JobObserver observer) {
        this.providers = providers;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.observer = observer;
    }

    /** Tries the routes for {@code req}; {@code delivery} hears each call begin and fail, and any wait for a slot. */
    Answer generate(String jobId, ImagineRequest req, Delivery delivery) throws InterruptedException {
        Runnable onWait = () -> delivery.progress(Delivery.Progress.QUEUED);
        Runnable onResume = () -> delivery.progress(Delivery.Progress.GENERATING);
        String lastError = "no-route";
        Duration retryAfter = null;
        for (Route route : req.model().routes()) {
            var provider = providers.find(route.provider());
            if (provider.isEmpty()) {
                log.debug("job {}: route {} skipped, provider not enabled", jobId, route);
                continue;
            }
            var call = new ProviderCall(route.model(), req.prompt(), req.aspect(), req.count(), req.seed(), req.enhance());
            for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
                Instant callStart = clock.instant();
                delivery.calling(route.provider(), attempt);
                try {
                    ProviderResult result = provider.get().call(call, onWait, onResume);
                    observer.providerCalled(route.provider(), Duration.between(callStart, clock.instant()), null);
                    return new Answer(result, route, null, null);
                } catch (ProviderException e) {
                    observer.providerCalled(route.provider(), Duration.between(callStart, clock.instant()), e.errorClass());
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedException("stopped during a provider call");
                    lastError = e.errorClass();
                    delivery.callFailed(route.provider(), attempt, e);
                    log.warn("job {}: {} attempt {} failed: {} ({})", jobId, route, attempt, e.errorClass(), e.getMessage());
                    switch (e.kind()) {
                        case REJECTED -> {
                            return failed(Refusal.Reason.REQUEST_REJECTED, lastError, null, Text.of(Msg.JOB_REJECTED));
                        }
                        case CONTENT_BLOCKED -> {
                            return failed(Refusal.Reason.SAFETY_BLOCKED, lastError, null,
                                    Text.of(Msg.JOB_SAFETY, Refusal.CHARGE, Refusal.NOTHING_CHARGED));
                        }
                        case UNAVAILABLE -> attempt = retry.attempts(); // straight to the next route
                        case TRANSIENT -> {
                            retryAfter = e.retryAfter();
                            if (attempt < retry.attempts()) {
                                Duration wait = retry.backoff(attempt + 1, e.retryAfter());
                                if (wait == null) attempt = retry.attempts();
                                else sleeper.sleep(wait);
                            }
                        }
                    }
                }
            }
        }
        Text why = Text.of("no-route".equals(lastError) ? Msg.JOB_NO_ROUTE : Msg.JOB_PROVIDER_DOWN,
                "model", req.model().id(), Refusal.CHARGE, Refusal.NOTHING_CHARGED);
        return failed(Refusal.Reason.PROVIDER_DOWN, lastError, retryAfter, why);
    }

    private static Answer failed(Refusal.Reason reason, String errorClass, Duration retryAfter, Text text) {
        return new Answer(null, null, new Refusal(reason, text, retryAfter), errorClass);
    }
}
