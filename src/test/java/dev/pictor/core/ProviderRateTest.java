package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderRates;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider's rate ({@code providers.<name>.rate}, counted across the cluster by the store): a job whose turn is near
 * waits for it, shown as queued; a job whose turn is further off than the provider's {@code rate-wait} goes to the
 * model's next route, and the provider it skipped is not blamed for it.
 */
class ProviderRateTest {
    private final MemoryQuota quota = new MemoryQuota(10);
    private final MemoryLedger ledger = new MemoryLedger();
    private final ScriptedProvider a = new ScriptedProvider("a");
    private final ScriptedProvider b = new ScriptedProvider("b");
    private final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final ModelCatalog catalog = CoreFixtures.catalog();

    /** Rates whose next turn for each provider is as given: a wait, or null for none within the wait allowed. */
    private ProviderRates turns(Map<String, Duration> next) {
        return (provider, maxWait) -> {
            asked.add(provider + " within " + maxWait.toSeconds() + "s");
            return next.containsKey(provider) ? next.get(provider) : Duration.ZERO;
        };
    }

    private static Map<String, Duration> noTurnFor(String... providers) {
        var none = new java.util.HashMap<String, Duration>();
        for (String p : providers) none.put(p, null);
        return none;
    }

    private GenerationService service(ProviderRates rates) {
        var slots = new ProviderSlots(RouteBreakers.none(), rates).add(a, 4, Duration.ofSeconds(30)).add(b, 4, Duration.ofSeconds(5));
        return TestPipeline.pipeline().quota(quota).ledger(ledger).providers(slots).fetcher(url -> TestImages.png(8, 8))
                .retry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2))).sleeper(slept::add).build();
    }

    private ImagineRequest request(String model) {
        return new ImagineRequest(ALICE, "a fox", catalog.find(model).orElseThrow(), "1:1", 1, null, true);
    }

    private static ProviderResult image() {
        return new ProviderResult(List.of(ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null)), 7L, null);
    }

    @Test
    void a_job_whose_turn_in_the_rate_is_12_seconds_away_is_shown_queued_waits_for_it_then_calls() {
        a.then(c -> image());
        var delivery = RecordingDelivery.acceptingAll();

        JobOutcome out = service(turns(Map.of("a", Duration.ofSeconds(12)))).run(request("imagen-4"), delivery);

        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(asked).containsExactly("a within 30s");
        assertThat(slept).containsExactly(Duration.ofSeconds(12));
        assertThat(delivery.progress).containsExactly(Delivery.Progress.GENERATING, Delivery.Progress.QUEUED, Delivery.Progress.GENERATING);
        assertThat(a.calls).hasSize(1);
        assertThat(quota.net()).isEqualTo(1);
    }

    @Test
    void a_job_with_no_turn_within_the_wait_goes_to_the_next_route_without_calling_the_first_provider() {
        b.then(c -> image());

        JobOutcome out = service(turns(noTurnFor("a"))).run(request("imagen-3"), RecordingDelivery.acceptingAll());

        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).isEmpty();
        assertThat(b.calls).hasSize(1);
        assertThat(asked).containsExactly("a within 30s", "b within 5s");
        assertThat(slept).as("no retry backoff for a rate").isEmpty();
        assertThat(ledger.only().provider()).isEqualTo("b");
    }

    @Test
    void when_no_provider_of_the_model_has_a_turn_the_job_ends_unanswered_and_nothing_is_charged() {
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service(turns(noTurnFor("a", "b"))).run(request("imagen-3"), delivery);

        assertThat(out.status()).isNotEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).isEmpty();
        assertThat(b.calls).isEmpty();
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().errorClass()).isEqualTo("rate-limited");
        assertThat(delivery.refusals).hasSize(1);
    }

    @Test
    void a_route_skipped_for_its_rate_does_not_count_against_its_breaker() {
        var breakers = new RouteBreakers(new BreakerPolicy(50, 10, 2, Duration.ofSeconds(60)),
                java.time.Clock.systemUTC());
        var slots = new ProviderSlots(breakers, turns(noTurnFor("a"))).add(a, 4, Duration.ofSeconds(30)).add(b, 4, Duration.ofSeconds(5));
        var service = TestPipeline.pipeline().quota(quota).ledger(ledger).providers(slots).fetcher(url -> TestImages.png(8, 8))
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1))).sleeper(slept::add).build();
        for (int i = 0; i < 5; i++) {
            b.then(c -> image());
            assertThat(service.run(request("imagen-3"), RecordingDelivery.acceptingAll()).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
        Route first = catalog.find("imagen-3").orElseThrow().routes().getFirst();
        assertThat(breakers.halfOpenAt(first)).as("route a's breaker is still closed").isNull();
        assertThat(breakers.tryEnter(first)).isTrue();
    }
}
