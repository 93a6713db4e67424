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
 * The pipeline's Prometheus metrics: jobs by outcome, model and gateway; end-to-end and gateway latency; quota
 * refusals; images and bytes delivered; spend; gateway errors by class; jobs in flight.
 */
public final class JobMetrics implements JobObserver {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("pictor.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("Jobs between arrival and their terminal state").register(registry);
    }

    @Override
    public void jobStarted(ImagineRequest request) {
        inFlight.incrementAndGet();
    }

    @Override
    public void gatewayCalled(String provider, Duration took, String errorClass) {
        Timer.builder("pictor.gateway.duration").description("One call to an image gateway")
                .tag("gateway", provider).tag("result", errorClass == null ? "ok" : "error")
                .publishPercentileHistogram().register(registry).record(took);
        if (errorClass != null) {
            Counter.builder("pictor.gateway.errors").description("Failed gateway calls by error class")
                    .tag("gateway", provider).tag("class", errorClass).register(registry).increment();
        }
    }

    @Override
    public void jobEnded(ImagineRequest request, JobClosing closing, Duration took) {
        inFlight.decrementAndGet();
        String outcome = closing.status().name().toLowerCase(Locale.ROOT);
        String model = request.model().id();
        String gateway = closing.provider() == null ? "none" : closing.provider();
        Counter.builder("pictor.jobs").description("Jobs by terminal outcome")
                .tag("outcome", outcome).tag("model", model).tag("gateway", gateway).register(registry).increment();
        Timer.builder("pictor.job.duration").description("Arrival to terminal state")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry).record(took);
        if (closing.status() == JobStatus.REFUSED) {
            Counter.builder("pictor.quota.refusals").description("Requests refused by a quota or a block")
                    .tag("reason", closing.errorClass() == null ? "unknown" : closing.errorClass())
                    .register(registry).increment();
        }
        if (closing.delivered() > 0) {
            Counter.builder("pictor.images.delivered").tag("model", model).register(registry).increment(closing.delivered());
            DistributionSummary bytes = DistributionSummary.builder("pictor.image.bytes.delivered").baseUnit("bytes")
                    .register(registry);
            closing.images().forEach(i -> bytes.record(i.bytes()));
        }
        if (closing.spend() != null && closing.spend() > 0) {
            Counter.builder("pictor.spend").description("Gateway spend in the gateway's unit (credits or dollars)")
                    .tag("gateway", gateway).register(registry).increment(closing.spend());
        }
    }

    /** Jobs between arrival and their terminal state right now. */
    public int inFlight() {
        return inFlight.get();
    }
}
