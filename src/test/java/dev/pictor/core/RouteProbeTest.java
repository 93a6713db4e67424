package dev.pictor.core;

import dev.pictor.core.port.ImageProvider;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.MutableClock;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A half-open route lets exactly one job probe it: while that job's call is out, every other job skips the route, and
 * the probe's answer decides for all of them. And what a job costs, in the configured currency.
 */
class RouteProbeTest {
    private final MutableClock clock = MutableClock.at("2026-12-02T00:00:00Z");
    private final RouteBreakers breakers = new RouteBreakers(new BreakerPolicy(50, 10, 3, Duration.ofSeconds(30)), clock);
    private final MemoryLedger ledger = new MemoryLedger();
    private final AtomicInteger ids = new AtomicInteger();

    private static ProviderResult oneImage(Double spend, Double cost) {
        return new ProviderResult(List.of(ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null)), null, spend, cost);
    }

    /** "a": fails until {@code healthy} is counted down, then answers once {@code release} is. */
    private static final class Gated implements ImageProvider {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch healthy = new CountDownLatch(1);
        final CountDownLatch inCall = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "a";
        }

        @Override
        public ProviderResult generate(ProviderCall call) throws ProviderException {
            calls.incrementAndGet();
            if (healthy.getCount() > 0) throw new ProviderException(ProviderException.Kind.TRANSIENT, 500, "HTTP 500", null, null);
            inCall.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new AssertionError("the probe was never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return oneImage(null, null);
        }
    }

    @Test
    void while_one_job_probes_a_half_open_route_the_other_jobs_skip_it_and_the_probes_success_closes_it() throws Exception {
        var a = new Gated();
        var b = new AtomicInteger();
        ImageProvider backup = new ImageProvider() {
            @Override
            public String name() {
                return "b";
            }

            @Override
            public ProviderResult generate(ProviderCall call) {
                b.incrementAndGet();
                return oneImage(null, null);
            }
        };
        var slots = new ProviderSlots(breakers).add(a, 8).add(backup, 8);
        var service = TestPipeline.pipeline().quota(MemoryQuota.unlimited()).ledger(ledger).providers(slots)
                .fetcher(url -> null).retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO)).clock(clock)
                .ids(() -> "job-" + ids.incrementAndGet()).build();
        var model = CoreFixtures.model("imagen-3", new Route("a", "imagen-3.0-generate-002"), new Route("b", "imagen-3.0-generate-002"));
        var request = new ImagineRequest(CoreFixtures.ALICE, "a fox", model, "1:1", 1, null, false);
        service.run(request, RecordingDelivery.acceptingAll());
        service.run(request, RecordingDelivery.acceptingAll());
        assertThat(a.calls).as("one call of each failing job: b could take them").hasValue(2);

        a.healthy.countDown();
        clock.advance(Duration.ofSeconds(31));
        CompletableFuture<JobOutcome> probe = CompletableFuture.supplyAsync(() -> service.run(request, RecordingDelivery.acceptingAll()));
        assertThat(a.inCall.await(10, TimeUnit.SECONDS)).as("the probe reached the route").isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(service.run(request, RecordingDelivery.acceptingAll()).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
        assertThat(a.calls).as("only the probe").hasValue(3);
        assertThat(breakers.states()).filteredOn(s -> s.provider().equals("a")).singleElement()
                .extracting(RouteBreakers.RouteState::state).isEqualTo(RouteBreakers.State.HALF_OPEN);

        a.release.countDown();
        assertThat(probe.get(10, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(breakers.states()).filteredOn(s -> s.provider().equals("a")).singleElement()
                .extracting(RouteBreakers.RouteState::state).isEqualTo(RouteBreakers.State.CLOSED);
        assertThat(b.get()).as("two failing jobs, three while probing").isEqualTo(5);
    }

    @Test
    void a_job_costs_the_providers_converted_credits_else_the_routes_price_times_the_images_else_nothing_known() {
        var priced = new Route("a", "m", 0.04);
        var images = List.of(ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null),
                ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null));

        assertThat(GenerationService.cost(new ProviderResult(images, null, 84000.0, 10.5), priced)).isEqualTo(10.5);
        assertThat(GenerationService.cost(new ProviderResult(images, null, 84000.0), priced)).isEqualTo(0.08);
        assertThat(GenerationService.cost(new ProviderResult(images, null, 84000.0), new Route("a", "m"))).isNull();
    }
}
