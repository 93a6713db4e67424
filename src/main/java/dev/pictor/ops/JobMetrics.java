package dev.pictor.ops;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's Prometheus metrics: jobs by outcome, model and provider; end-to-end and provider latency; quota
 * refusals; images delivered and their sizes; spend (the provider's own unit) and cost (the configured currency);
 * provider errors by class; jobs in flight.
 *
 * <p>The two latency histograms have a dozen buckets each, from 250 ms to 5 minutes ({@link #PROVIDER_BUCKETS},
 * {@link #JOB_BUCKETS}), rather than Micrometer's 70-odd percentile buckets per series.
 */
public final class JobMetrics implements JobObserver {
    /** Bucket bounds of {@code pictor_provider_duration_seconds}: one call to a provider. */
    static final Duration[] PROVIDER_BUCKETS = seconds(0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120);
    /** Bucket bounds of {@code pictor_job_duration_seconds}: arrival to terminal state, queueing and retries included. */
    static final Duration[] JOB_BUCKETS = seconds(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);

    private final MeterRegistry registry;
    private final String currency;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Metrics whose costs are in US dollars (the default {@code currency}). */
    public JobMetrics(MeterRegistry registry) {
        this(registry, "USD");
    }

    /** Metrics whose costs are in {@code currency} (the configuration's {@code currency}, e.g. {@code EUR}). */
    public JobMetrics(MeterRegistry registry, String currency) {
        this.registry = registry;
        this.currency = currency;
        Gauge.builder("pictor.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("Jobs between arrival and their terminal state").register(registry);
    }

    @Override
    public void jobStarted(ImagineRequest request) {
        inFlight.incrementAndGet();
    }

    @Override
    public void providerCalled(String provider, Duration took, String errorClass) {
        Timer.builder("pictor.provider.duration").description("One call to an image provider")
                .tag("provider", provider).tag("result", errorClass == null ? "ok" : "error")
                .serviceLevelObjectives(PROVIDER_BUCKETS).register(registry).record(took);
        if (errorClass != null) {
            Counter.builder("pictor.provider.errors").description("Failed provider calls by error class")
                    .tag("provider", provider).tag("class", errorClass).register(registry).increment();
        }
    }

    @Override
    public void jobEnded(ImagineRequest request, JobClosing closing, Duration took) {
        inFlight.decrementAndGet();
        String outcome = closing.status().name().toLowerCase(Locale.ROOT);
        String model = request.model().id();
        String provider = closing.provider() == null ? "none" : closing.provider();
        Counter.builder("pictor.jobs").description("Jobs by terminal outcome")
                .tag("outcome", outcome).tag("model", model).tag("provider", provider).register(registry).increment();
        Timer.builder("pictor.job.duration").description("Arrival to terminal state")
                .tag("outcome", outcome).serviceLevelObjectives(JOB_BUCKETS).register(registry).record(took);
        if (closing.status() == JobStatus.REFUSED) {
            Counter.builder("pictor.quota.refusals").description("Requests refused by a quota or a block")
                    .tag("reason", closing.errorClass() == null ? "unknown" : closing.errorClass())
                    .register(registry).increment();
        }
        if (closing.delivered() > 0) {
            Counter.builder("pictor.images.delivered").description("Images posted in the chat (or written by imagine)")
                    .tag("model", model).register(registry).increment(closing.delivered());
            DistributionSummary bytes = DistributionSummary.builder("pictor.images.delivered.size").baseUnit("bytes")
                    .description("Size of each image delivered, as the provider sent it").register(registry);
            closing.images().forEach(i -> bytes.record(i.bytes()));
        }
        if (closing.spend() != null && closing.spend() > 0) {
            Counter.builder("pictor.spend")
                    .description("Provider spend in that provider's own unit: the credits it reports (AI/ML API), or"
                            + " price-per-image times the images; not one currency, so compare it per provider only")
                    .tag("provider", provider).register(registry).increment(closing.spend());
        }
        if (closing.cost() != null && closing.cost() > 0) {
            Counter.builder("pictor.cost")
                    .description("What jobs cost in the configured currency: the provider's credits times its"
                            + " credit-price, else the route's price per image times the images")
                    .tag("provider", provider).tag("currency", currency).register(registry).increment(closing.cost());
        }
    }

    @Override
    public void jobFenced(ImagineRequest request) {
        inFlight.decrementAndGet();
        Counter.builder("pictor.jobs.fenced")
                .description("Jobs stopped before posting (more) because another process had repaired them: this one was"
                        + " cut off from the database long enough for its lease to be claimed")
                .tag("model", request.model().id()).register(registry).increment();
    }

    private static Duration[] seconds(double... bounds) {
        var out = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) out[i] = Duration.ofMillis(Math.round(bounds[i] * 1000));
        return out;
    }

    /** Jobs between arrival and their terminal state right now. */
    public int inFlight() {
        return inFlight.get();
    }
}
