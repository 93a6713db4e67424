package dev.pictor.provider;

import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Refusal;
import dev.pictor.core.Route;
import dev.pictor.core.RouteBreakers;
import dev.pictor.testing.MutableClock;
import dev.pictor.testing.TestImages;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.pictor.provider.Pipeline.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health-aware routing through the real GenerationService and real providers on the fault-matrix fakes: a route that
 * keeps failing is skipped at once for its cool-off (no request, no backoff), then one job probes it. The breakers run
 * on a clock the test moves; nothing here sleeps to let a cool-off pass.
 */
class RouteBreakerTest {
    private static final BreakerPolicy POLICY = BreakerPolicy.DEFAULT; // 50 % of 10, at least 3, 30 s doubling to 10 min
    /** A probe goes once the cool-off is over: any instant after it. */
    private static final Duration COOL_OFF_PASSED = Duration.ofSeconds(30).plusMillis(1);
    private final byte[] png = TestImages.png(32, 32);
    private final FakeProvider primary = new FakeProvider();
    private final FakeProvider backup = new FakeProvider();
    private final MutableClock clock = MutableClock.at("2026-12-02T00:00:00Z");
    private final ModelSpec model = Pipeline.model("imagen-3",
            new Route("primary", "imagen-3.0-generate-002"), new Route("backup", "imagen-3.0-generate-002"));

    @AfterEach
    void close() {
        primary.close();
        backup.close();
    }

    private Pipeline pipeline() {
        return pipeline(Duration.ofSeconds(5));
    }

    private Pipeline pipeline(Duration primaryTimeout) {
        var p = Pipeline.withBreakers(POLICY, clock);
        p.add(new ProviderSettings("primary", "aimlapi", primary.base(""), KEY, primaryTimeout, 4, null, Map.of()));
        p.add(Pipeline.settings("backup", "openai", backup.base(""), Map.of()));
        backup.alwaysAnswer(FakeProvider.json(200, b64Answer()));
        return p;
    }

    private String b64Answer() {
        return "{\"created\":1,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}";
    }

    private String aimlAnswer() {
        return "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}],"
                + "\"meta\":{\"usage\":{\"credits_used\":84000}}}";
    }

    private JobOutcome ask(Pipeline p, ModelSpec m) {
        return p.run(m, "a red fox in the snow", "1:1", 1, null, true);
    }

    private JobOutcome ask(Pipeline p) {
        return ask(p, model);
    }

    private RouteBreakers.State stateOf(Pipeline p, String provider) {
        return p.providers.breakers().states().stream().filter(s -> s.provider().equals(provider)).findFirst()
                .orElseThrow().state();
    }

    /** When the primary's open breaker lets a probe through. */
    private java.time.Instant probeOf(Pipeline p) {
        return p.providers.breakers().states().stream().filter(s -> s.provider().equals("primary")).findFirst()
                .orElseThrow().halfOpenAt();
    }

    /**
     * Jobs until the primary's breaker opens: one call of each of two jobs (failing jobs in a row: 2). Each goes to
     * the backup at once instead of retrying the primary, since the backup can take it.
     */
    private void openPrimary(Pipeline p) {
        ask(p);
        ask(p);
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.OPEN);
    }

    @Test
    void a_dead_first_route_opens_after_two_jobs_in_a_row_failed_on_it_one_call_each_and_then_gets_no_request_for_the_cool_off() {
        primary.alwaysAnswer(FakeProvider.json(500, "{\"message\":\"internal error\"}"));
        var p = pipeline();

        assertThat(ask(p).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(primary.generations).as("not retried: the backup takes the job at once").hasSize(1);
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.CLOSED);

        assertThat(ask(p).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(primary.generations).as("the second failing job opens it").hasSize(2);
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.OPEN);

        clock.advance(Duration.ofSeconds(29));
        for (int i = 0; i < 10; i++) {
            JobOutcome outcome = ask(p);
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(outcome.delivered()).isEqualTo(1);
        }
        assertThat(primary.generations).as("skipped while open").hasSize(2);
        assertThat(backup.generations).hasSize(12);
        assertThat(p.ledger.closed.values()).allSatisfy(c -> assertThat(c.provider()).isEqualTo("backup"));
    }

    @Test
    void after_the_cool_off_one_job_probes_the_route_and_its_success_closes_the_breaker() {
        primary.thenAnswer(500, "{}").thenAnswer(503, "{}");
        var p = pipeline();
        openPrimary(p);

        primary.alwaysAnswer(FakeProvider.json(200, aimlAnswer()));
        clock.advance(COOL_OFF_PASSED);
        assertThat(ask(p).status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(primary.generations).as("the probe").hasSize(3);
        assertThat(p.ledger.closed.get("job-3").provider()).isEqualTo("primary");
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.CLOSED);
        ask(p);
        assertThat(p.ledger.closed.get("job-4").provider()).isEqualTo("primary");
        assertThat(backup.generations).as("only the two jobs while it was failing").hasSize(2);
    }

    @Test
    void a_failed_probe_keeps_the_route_open_for_twice_the_cool_off_and_the_job_is_served_by_the_next_route() {
        primary.alwaysAnswer(FakeProvider.json(500, "{}"));
        var p = pipeline();
        openPrimary(p);

        clock.advance(COOL_OFF_PASSED);
        assertThat(ask(p).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(primary.generations).as("one probe call, not retried").hasSize(3);
        assertThat(p.ledger.closed.get("job-3").provider()).isEqualTo("backup");
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.OPEN);
        assertThat(probeOf(p)).isEqualTo(clock.instant().plusSeconds(60));

        clock.advance(Duration.ofSeconds(59));
        ask(p);
        assertThat(primary.generations).as("open again, for 60 s this time").hasSize(3);
        clock.advance(Duration.ofSeconds(1).plusMillis(1));
        ask(p);
        assertThat(primary.generations).as("the next probe").hasSize(4);
        assertThat(probeOf(p)).as("then 120 s").isEqualTo(clock.instant().plusSeconds(120));
    }

    @Test
    void the_cool_off_doubles_after_each_failed_probe_up_to_its_longest_and_a_success_starts_over() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(POLICY::coolOff).map(Duration::toSeconds).toList())
                .containsExactly(30L, 60L, 120L, 240L, 480L, 600L, 600L);

        primary.thenAnswer(500, "{}").thenAnswer(500, "{}").thenAnswer(500, "{}"); // opens, probe fails
        var p = pipeline();
        openPrimary(p);
        clock.advance(COOL_OFF_PASSED);
        ask(p);
        primary.alwaysAnswer(FakeProvider.json(200, aimlAnswer()));
        clock.advance(Duration.ofSeconds(60).plusMillis(1));
        ask(p); // the probe answers: closed
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.CLOSED);

        primary.thenAnswer(500, "{}").thenAnswer(500, "{}");
        openPrimary(p);
        assertThat(probeOf(p)).as("30 s again")
                .isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void a_hanging_route_opens_on_its_timeouts_and_is_then_skipped_without_waiting_for_it() {
        primary.alwaysAnswer(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        var p = pipeline(Duration.ofMillis(200));
        openPrimary(p);

        assertThat(ask(p).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(primary.generations).as("one timeout of each of two jobs").hasSize(2);
        assertThat(p.ledger.closed.get("job-3").provider()).isEqualTo("backup");
    }

    @Test
    void a_model_with_one_route_retries_a_hiccup_and_one_jobs_failed_attempts_do_not_open_it() {
        var only = Pipeline.model("imagen-3", new Route("primary", "imagen-3.0-generate-002"));
        var p = pipeline();
        primary.alwaysAnswer(FakeProvider.json(200, aimlAnswer()));
        for (int i = 0; i < 8; i++) assertThat(ask(p, only).status()).isEqualTo(JobStatus.SUCCEEDED);

        // a hiccup: the retry answers (no other route could take the job)
        primary.thenAnswer(500, "{}");
        assertThat(ask(p, only).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(primary.generations).as("retried on the same route").hasSize(10);

        // a blip: both attempts of one job fail; that is one failing job, and the members after it are served
        primary.thenAnswer(500, "{}").thenAnswer(500, "{}");
        assertThat(ask(p, only).status()).isEqualTo(JobStatus.FAILED);
        assertThat(stateOf(p, "primary")).as("one job's bad luck").isEqualTo(RouteBreakers.State.CLOSED);
        assertThat(ask(p, only).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(backup.generations).isEmpty();
    }

    @Test
    void refused_requests_and_safety_blocks_are_not_the_routes_fault_and_never_open_it() {
        primary.alwaysAnswer(FakeProvider.json(400, "{\"message\":\"aspect_ratio must be one of 1:1, 16:9\"}"));
        var p = pipeline();

        for (int i = 0; i < 6; i++) {
            assertThat(ask(p).refusal().reason()).isEqualTo(Refusal.Reason.REQUEST_REJECTED);
        }

        assertThat(primary.generations).hasSize(6);
        assertThat(stateOf(p, "primary")).isEqualTo(RouteBreakers.State.CLOSED);
        assertThat(backup.generations).isEmpty();
    }

    @Test
    void when_every_route_is_open_the_member_is_refused_at_once_and_told_when_the_first_probe_may_go() {
        primary.alwaysAnswer(FakeProvider.json(500, "{}"));
        backup.alwaysAnswer(FakeProvider.json(502, "{}"));
        var p = Pipeline.withBreakers(POLICY, clock);
        p.add(new ProviderSettings("primary", "aimlapi", primary.base(""), KEY, Duration.ofSeconds(5), 4, null, Map.of()));
        p.add(Pipeline.settings("backup", "openai", backup.base(""), Map.of()));
        ask(p); // primary ×1 (the backup could take it), backup ×2 (the last route: retried)
        clock.advance(Duration.ofSeconds(5));
        ask(p); // primary ×1 → 2 failing jobs: open at 00:00:05; backup ×1 → the same
        assertThat(stateOf(p, "backup")).isEqualTo(RouteBreakers.State.OPEN);
        int primaryCalls = primary.generations.size();
        int backupCalls = backup.generations.size();

        clock.advance(Duration.ofSeconds(10));
        JobOutcome outcome = ask(p);

        assertThat(outcome.status()).isEqualTo(JobStatus.FAILED);
        assertThat(outcome.refusal().reason()).isEqualTo(Refusal.Reason.PROVIDER_DOWN);
        assertThat(outcome.refusal().message(java.util.Locale.ENGLISH)).isEqualTo("The image service for imagen-3 is not answering right now. "
                + "Nothing was charged. Try again in 20 s.");
        assertThat(outcome.refusal().retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.ledger.closed.get("job-3").errorClass()).isEqualTo("routes-open");
        assertThat(primary.generations).hasSize(primaryCalls);
        assertThat(backup.generations).hasSize(backupCalls);
        assertThat(p.quota.net()).as("nothing charged for the three failed jobs").isZero();
    }

    @Test
    void cheapest_routing_tries_the_cheapest_route_first_and_fails_over_to_the_next_cheapest() {
        primary.alwaysAnswer(FakeProvider.json(200, aimlAnswer()));
        var p = pipeline();
        var cheapest = new ModelSpec("imagen-3", "Imagen 3", Pipeline.CAPS, List.of(
                new Route("primary", "imagen-3.0-generate-002", 0.04),
                new Route("backup", "imagen-3.0-generate-002", 0.03)), ModelSpec.Routing.CHEAPEST);

        ask(p, cheapest);
        assertThat(p.ledger.closed.get("job-1").provider()).as("the cheaper route first").isEqualTo("backup");
        assertThat(primary.generations).isEmpty();

        backup.alwaysAnswer(FakeProvider.json(500, "{}"));
        ask(p, cheapest);
        assertThat(p.ledger.closed.get("job-2").provider()).as("the next cheapest").isEqualTo("primary");
        assertThat(p.ledger.closed.get("job-2").status()).isEqualTo(JobStatus.SUCCEEDED);

        ask(p, cheapest); // the backup's third failure opens its breaker
        primary.generations.clear();
        backup.generations.clear();
        ask(p, cheapest);
        assertThat(backup.generations).as("the cheapest, but not healthy: skipped").isEmpty();
        assertThat(p.ledger.closed.get("job-4").provider()).isEqualTo("primary");
    }

    @Test
    void cheapest_routing_puts_routes_without_a_price_after_the_priced_ones_in_their_order() {
        var m = new ModelSpec("m", "m", Pipeline.CAPS, List.of(new Route("a", "x"), new Route("b", "x", 0.05),
                new Route("c", "x"), new Route("d", "x", 0.01)), ModelSpec.Routing.CHEAPEST);
        assertThat(m.routesInTurn()).extracting(Route::provider).containsExactly("d", "b", "a", "c");
        assertThat(new ModelSpec("m", "m", Pipeline.CAPS, m.routes()).routesInTurn()).extracting(Route::provider)
                .containsExactly("a", "b", "c", "d");
    }
}
