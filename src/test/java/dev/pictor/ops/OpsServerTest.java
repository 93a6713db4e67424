package dev.pictor.ops;

import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.Platform;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import dev.pictor.core.RouteBreakers;
import dev.pictor.core.RouteTrips;
import dev.pictor.core.port.JobClosing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ImagineRequest request = new ImagineRequest(Requester.of(Platform.CLI, "u1"), "a fox",
            new ModelSpec("imagen-4", "Imagen 4", new ModelCapabilities(List.of("1:1"), 4, true, 400, true),
                    List.of(new Route("aimlapi", "google/imagen-4.0-generate-001"))), "1:1", 2, null, true);

    private HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthz_is_ready_only_when_every_check_is_up() throws Exception {
        var bot = new AtomicBoolean(false);
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .check("storage", () -> true).check("bot:discord", bot::get).start()) {
            var down = get(server, "/healthz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"not-ready\"").contains("\"bot:discord\":\"down\"");

            bot.set(true);
            var up = get(server, "/healthz");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"status\":\"ready\"").contains("\"storage\":\"up\"");
        }
    }

    @Test
    void healthz_says_why_a_check_is_down_as_json_with_the_reason_escaped() throws Exception {
        var storage = new java.util.concurrent.atomic.AtomicReference<>(new OpsServer.Check(false,
                "the database file /data/\"pictor\".db is gone (it or its folder was deleted or moved while pictor ran)"));
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .checkWithReason("storage", storage::get).check("started", () -> true).start()) {
            var down = get(server, "/healthz");
            assertThat(down.statusCode()).isEqualTo(503);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(down.body());
            assertThat(json.path("checks").path("storage").asText()).isEqualTo("down");
            assertThat(json.path("checks").path("started").asText()).isEqualTo("up");
            assertThat(json.path("reasons").path("storage").asText()).contains("/data/\"pictor\".db is gone");

            storage.set(new OpsServer.Check(true, null));
            var up = get(server, "/healthz");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).doesNotContain("reasons");
        }
    }

    @Test
    void a_receiving_path_takes_only_POST_on_exactly_that_path_and_leaves_healthz_and_metrics_as_they_are() throws Exception {
        var posted = new java.util.concurrent.atomic.AtomicInteger();
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .check("storage", () -> true).start()) {
            // given a webhook path served after the start, as a bot in webhook mode does
            server.receive("/telegram/tg", ex -> {
                try (ex) {
                    posted.incrementAndGet();
                    ex.sendResponseHeaders(200, -1);
                }
            });
            var base = "http://127.0.0.1:" + server.port();
            // then a POST reaches its handler
            var post = http.send(HttpRequest.newBuilder(URI.create(base + "/telegram/tg"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(posted).hasValue(1);
            // and a GET is 405 with Allow: POST, a longer path 404, and neither reaches the handler
            var wrongMethod = get(server, "/telegram/tg");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
            var longer = http.send(HttpRequest.newBuilder(URI.create(base + "/telegram/tgx"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(longer.statusCode()).isEqualTo(404);
            assertThat(posted).hasValue(1);
            // and /healthz and /metrics answer as before, POST to them still 405
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
            var postHealth = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(postHealth.statusCode()).isEqualTo(405);
            // and a path cannot be served twice, nor take the operator's endpoints
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.receive("/telegram/tg", ex -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already serves /telegram/tg");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.receive("/metrics", ex -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void metrics_count_jobs_images_bytes_spend_refusals_and_provider_errors() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new JobMetrics(registry);
        metrics.jobStarted(request);
        metrics.jobStarted(request);
        assertThat(metrics.inFlight()).isEqualTo(2);
        metrics.providerCalled("aimlapi", Duration.ofMillis(30), "transient-503");
        metrics.providerCalled("aimlapi", Duration.ofMillis(1200), null);
        metrics.jobEnded(request, new JobClosing("j1", JobStatus.PARTIAL, "aimlapi", "google/imagen-4.0-generate-001",
                2, 1, 2, 1, 0.03, "fewer-images", 7L, null, Instant.now(),
                List.of(new JobClosing.ImageRecord(0, "ab", 1500, "image/png", 1024, 1024))), Duration.ofSeconds(2));
        metrics.jobEnded(request, new JobClosing("j2", JobStatus.REFUSED, null, null, 2, 0, 0, 0, null, "quota_spent",
                null, null, Instant.now(), null), Duration.ofMillis(1));

        try (var server = new OpsServer("127.0.0.1", 0, registry).start()) {
            String body = get(server, "/metrics").body();
            assertThat(body)
                    .contains("pictor_jobs_total{model=\"imagen-4\",outcome=\"partial\",provider=\"aimlapi\"} 1.0")
                    .contains("pictor_jobs_total{model=\"imagen-4\",outcome=\"refused\",provider=\"none\"} 1.0")
                    .contains("pictor_quota_refusals_total{reason=\"quota_spent\"} 1.0")
                    .contains("pictor_images_delivered_total{model=\"imagen-4\"} 1.0")
                    .contains("pictor_images_delivered_size_bytes_sum 1500.0")
                    .contains("pictor_spend_total{provider=\"aimlapi\"} 0.03")
                    .contains("pictor_provider_errors_total{class=\"transient-503\",provider=\"aimlapi\"} 1.0")
                    .contains("pictor_provider_duration_seconds_count{provider=\"aimlapi\",result=\"ok\"} 1")
                    .contains("pictor_job_duration_seconds_bucket")
                    .contains("pictor_jobs_in_flight 0.0");
        }
    }

    @Test
    void a_fenced_job_leaves_the_flight_and_is_counted_as_fenced_not_as_ended() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new JobMetrics(registry);
        metrics.jobStarted(request);

        metrics.jobFenced(request);

        assertThat(metrics.inFlight()).isZero();
        assertThat(registry.scrape()).contains("pictor_jobs_fenced_total{model=\"imagen-4\"} 1.0")
                .doesNotContain("pictor_jobs_total{");
    }

    @Test
    void onlyTheTwoPathsExist_andOnlyGetAndHeadAreAnswered() throws Exception {
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .check("started", () -> true).start()) {
            // given an operator (or a scanner) asking for paths next to the real ones
            for (String path : List.of("/healthzfoo", "/metricsabc", "/healthz/", "/metrics/x", "/", "/admin")) {
                assertThat(get(server, path).statusCode()).as(path).isEqualTo(404);
            }
            // and sending something other than GET to the real ones
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                for (String path : List.of("/healthz", "/metrics")) {
                    var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                            .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
                }
            }
            // then GET and HEAD still answer
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
            var head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void listensOnTheBindAddressOnly() throws Exception {
        // given a host address other than loopback, if this machine has one
        var other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterfaceAddresses::of).filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address");
        // when pictor is told to bind to loopback only
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            // then it answers on loopback and refuses the other address
            assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
            var elsewhere = HttpRequest.newBuilder(URI.create("http://" + other.get().getHostAddress() + ":" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(elsewhere, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
        // and bound to every interface it answers on the other address too
        try (var server = new OpsServer("0.0.0.0", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            var elsewhere = HttpRequest.newBuilder(URI.create("http://" + other.get().getHostAddress() + ":" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            assertThat(http.send(elsewhere, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static final class NetworkInterfaceAddresses {
        static java.util.stream.Stream<java.net.InetAddress> of(java.net.NetworkInterface nic) {
            return java.util.Collections.list(nic.getInetAddresses()).stream();
        }
    }

    @Test
    void eachCheckIsAlsoAGauge_oneWhenUp_zeroWhenDown() throws Exception {
        var bot = new AtomicBoolean(false);
        try (var server = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .check("storage", () -> true).check("bot:discord", bot::get).start()) {
            assertThat(get(server, "/metrics").body()).contains("pictor_check_up{check=\"bot:discord\"} 0.0")
                    .contains("pictor_check_up{check=\"storage\"} 1.0");
            bot.set(true);
            assertThat(get(server, "/metrics").body()).contains("pictor_check_up{check=\"bot:discord\"} 1.0");
        }
    }

    @Test
    void everyPictorSeriesHasADescription_aUnitNamedOnce_andHistogramsHaveADozenBuckets() throws Exception {
        // given the registry pictor runs with, after a job of each kind
        try (var ops = new OpsMetrics(new BuildInfo("1.2.3", "abcdef123456"))) {
            var metrics = new JobMetrics(ops.registry());
            metrics.jobStarted(request);
            metrics.providerCalled("aimlapi", Duration.ofMillis(800), null);
            metrics.providerCalled("aimlapi", Duration.ofMillis(800), "transient-503");
            metrics.jobEnded(request, new JobClosing("j1", JobStatus.SUCCEEDED, "aimlapi", "m", 1, 1, 1, 0, 2.0, null, 7L,
                    null, Instant.now(), List.of(new JobClosing.ImageRecord(0, "ab", 1500, "image/png", 8, 8))), Duration.ofSeconds(3));
            metrics.jobEnded(request, new JobClosing("j2", JobStatus.REFUSED, null, null, 1, 0, 0, 0, null, "quota_spent",
                    null, null, Instant.now(), null), Duration.ofMillis(1));
            try (var server = new OpsServer("127.0.0.1", 0, ops.registry()).start()) {
                String body = get(server, "/metrics").body();
                // then no name says its unit twice
                assertThat(body.lines()).noneMatch(l -> l.matches("^pictor_\\w*bytes_\\w*bytes.*"));
                // and every pictor family says what it is
                var families = body.lines().filter(l -> l.startsWith("# TYPE pictor_")).map(l -> l.split(" ")[2]).toList();
                assertThat(families).isNotEmpty();
                for (String family : families) {
                    assertThat(body.lines().filter(l -> l.startsWith("# HELP " + family + " ")).findFirst())
                            .as("HELP of " + family).hasValueSatisfying(h -> assertThat(h.substring(("# HELP " + family).length()).strip()).isNotEmpty());
                }
                // and a latency series has a dozen buckets, not 70
                for (String histogram : List.of("pictor_provider_duration_seconds_bucket{provider=\"aimlapi\",result=\"ok\"",
                        "pictor_job_duration_seconds_bucket{outcome=\"succeeded\"")) {
                    long buckets = body.lines().filter(l -> l.startsWith(histogram.substring(0, histogram.indexOf('{')))
                            && l.contains(histogram.substring(histogram.indexOf('{') + 1))).count();
                    assertThat(buckets).as(histogram).isBetween(8L, 15L);
                }
                assertThat(body).contains("pictor_job_duration_seconds_bucket{outcome=\"succeeded\",le=\"5.0\"} 1");
                // and the JVM, the process and the build are there
                assertThat(body).contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("jvm_threads_live_threads")
                        .contains("jvm_classes_loaded_classes").contains("process_cpu_usage").contains("process_uptime_seconds")
                        .contains("system_cpu_count")
                        .contains("pictor_build_info{commit=\"abcdef123456\",version=\"1.2.3\"} 1");
            }
        }
    }

    @Test
    void each_job_counts_its_cost_in_the_configured_currency_beside_the_providers_own_spend() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new JobMetrics(registry, "EUR");
        metrics.jobStarted(request);
        metrics.jobEnded(request, new JobClosing("j1", JobStatus.SUCCEEDED, "aimlapi", "google/imagen-4.0-generate-001",
                2, 2, 2, 0, 84000.0, 10.5, null, 7L, null, Instant.now(), null), Duration.ofSeconds(2));

        try (var server = new OpsServer("127.0.0.1", 0, registry).start()) {
            assertThat(get(server, "/metrics").body())
                    .contains("pictor_spend_total{provider=\"aimlapi\"} 84000.0")
                    .contains("pictor_cost_total{currency=\"EUR\",provider=\"aimlapi\"} 10.5");
        }
    }

    @Test
    void route_states_are_gauges_and_healthz_details_and_only_every_route_open_makes_pictor_unready() throws Exception {
        var clock = dev.pictor.testing.MutableClock.at("2026-12-02T00:00:00Z");
        var breakers = new RouteBreakers(new BreakerPolicy(50, 10, 1, Duration.ofSeconds(30)), clock);
        var aiml = new Route("aimlapi", "imagen-3.0-generate-002");
        var turbo = new Route("theturbo", "imagen-3.0-generate-002");
        breakers.register(List.of(aiml, turbo));
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var routes = new RouteHealth(breakers, registry);
        try (var server = new OpsServer("127.0.0.1", 0, registry).checkWithReason("routes", routes::check)
                .detail("routes", routes::details).start()) {
            RouteTrips.fail(breakers, aiml); // aimlapi opens at 00:00:00, until 00:00:30

            var oneOpen = get(server, "/healthz");
            assertThat(oneOpen.statusCode()).as("the model fails over: still ready").isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(oneOpen.body());
            assertThat(json.path("checks").path("routes").asText()).isEqualTo("up");
            assertThat(json.path("details").path("routes").path("closed").asInt()).isEqualTo(1);
            assertThat(json.path("details").path("routes").path("open").path("aimlapi:imagen-3.0-generate-002").asText())
                    .isEqualTo("2026-12-02T00:00:30Z");
            assertThat(get(server, "/metrics").body())
                    .contains("pictor_route_state{model=\"imagen-3.0-generate-002\",provider=\"aimlapi\",state=\"open\"} 1.0")
                    .contains("pictor_route_state{model=\"imagen-3.0-generate-002\",provider=\"aimlapi\",state=\"closed\"} 0.0")
                    .contains("pictor_route_state{model=\"imagen-3.0-generate-002\",provider=\"theturbo\",state=\"closed\"} 1.0");

            RouteTrips.fail(breakers, turbo);
            var allOpen = get(server, "/healthz");
            assertThat(allOpen.statusCode()).as("nothing can be served").isEqualTo(503);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(allOpen.body()).path("reasons").path("routes").asText())
                    .isEqualTo("every route's circuit breaker is open: aimlapi:imagen-3.0-generate-002 until 2026-12-02T00:00:30Z, "
                            + "theturbo:imagen-3.0-generate-002 until 2026-12-02T00:00:30Z");
        }
    }
}
