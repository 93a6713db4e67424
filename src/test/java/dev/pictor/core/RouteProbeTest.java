package dev.pictor.core;

import dev.pictor.core.port.ImageProvider;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderRates;
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

    /** Route a fails once, transiently, then answers; b answers if it is ever called. */
    private GenerationService failover(ProviderRates rates, ScriptedProvider a, ScriptedProvider b, List<Duration> slept) {
        a.fails(ProviderException.Kind.TRANSIENT, 502).then(c -> oneImage(null, null));
        b.then(c -> oneImage(null, null));
        var slots = new ProviderSlots(breakers, rates).add(a, 8).add(b, 8);
        return TestPipeline.pipeline().quota(MemoryQuota.unlimited()).ledger(ledger).providers(slots)
                .fetcher(url -> null).retry(new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8)))
                .sleeper(slept::add).clock(clock).ids(() -> "job-" + ids.incrementAndGet()).build();
    }

    private static final Route A = new Route("a", "imagen-3.0-generate-002");
    private static final Route B = new Route("b", "imagen-3.0-generate-002");
    private static final ImagineRequest FOX = new ImagineRequest(CoreFixtures.ALICE, "a fox",
            CoreFixtures.model("imagen-3", A, B), "1:1", 1, null, false);

    /** Opens b's breaker: failing calls of other jobs, one each, until it opens (the policy's failing jobs in a row). */
    private void openB() {
        for (int job = 1; breakers.halfOpenAt(B) == null && job <= 10; job++) {
            assertThat(breakers.tryEnter(B)).isTrue();
            breakers.failed(B, Duration.ofMillis(5), new IllegalStateException("HTTP 500"), "other-" + job);
        }
        assertThat(breakers.halfOpenAt(B)).as("b is open").isNotNull();
    }

    @Test
    void a_transient_failure_is_retried_on_its_route_when_the_next_route_is_half_open_with_another_jobs_probe_out() {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b");
        var slept = new java.util.ArrayList<Duration>();
        var service = failover(ProviderRates.NONE, a, b, slept);
        openB();
        clock.advance(Duration.ofSeconds(31));
        assertThat(breakers.tryEnter(B)).as("another job takes b's probe").isTrue();
        assertThat(breakers.halfOpenAt(B)).as("half-open: no time to come back to").isNull();

        JobOutcome out = service.run(FOX, RecordingDelivery.acceptingAll());

        assertThat(out.status()).as("a's retry answered").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(2);
        assertThat(b.calls).isEmpty();
        assertThat(slept).as("the retry's backoff, as before the failover").containsExactly(Duration.ofMillis(500));
        assertThat(ledger.only().provider()).isEqualTo("a");
        breakers.released(B);
    }

    @Test
    void a_transient_failure_is_retried_on_its_route_when_the_next_route_is_still_open() {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b");
        var slept = new java.util.ArrayList<Duration>();
        var service = failover(ProviderRates.NONE, a, b, slept);
        openB();

        assertThat(service.run(FOX, RecordingDelivery.acceptingAll()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(2);
        assertThat(b.calls).isEmpty();
    }

    @Test
    void when_the_next_route_has_no_turn_in_its_rate_the_job_comes_back_for_the_retry_it_gave_up() {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b");
        var slept = new java.util.ArrayList<Duration>();
        var asked = new java.util.ArrayList<String>();
        ProviderRates bOverRate = (provider, maxWait) -> {
            asked.add(provider);
            return provider.equals("b") ? null : Duration.ZERO;
        };
        var service = failover(bOverRate, a, b, slept);

        JobOutcome out = service.run(FOX, RecordingDelivery.acceptingAll());

        assertThat(out.status()).as("a's retry answered").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(asked).as("a, b (no turn), then a's retry").containsExactly("a", "b", "a");
        assertThat(a.calls).hasSize(2);
        assertThat(b.calls).isEmpty();
        assertThat(slept).containsExactly(Duration.ofMillis(500));
        assertThat(ledger.only().provider()).isEqualTo("a");
    }

    @Test
    void when_the_next_route_can_take_the_job_it_goes_there_without_a_retry() {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b");
        var slept = new java.util.ArrayList<Duration>();
        var service = failover(ProviderRates.NONE, a, b, slept);

        assertThat(service.run(FOX, RecordingDelivery.acceptingAll()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(1);
        assertThat(b.calls).hasSize(1);
        assertThat(slept).isEmpty();
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
