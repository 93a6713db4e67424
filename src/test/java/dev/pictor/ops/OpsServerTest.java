package dev.pictor.ops;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
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
    private final ImagineRequest request = new ImagineRequest(Requester.of("test", "u1"), "a fox",
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
    void metrics_count_jobs_images_bytes_spend_refusals_and_gateway_errors() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new JobMetrics(registry);
        metrics.jobStarted(request);
        metrics.jobStarted(request);
        assertThat(metrics.inFlight()).isEqualTo(2);
        metrics.gatewayCalled("aimlapi", Duration.ofMillis(30), "transient-503");
        metrics.gatewayCalled("aimlapi", Duration.ofMillis(1200), null);
        metrics.jobEnded(request, new JobClosing("j1", JobStatus.PARTIAL, "aimlapi", "google/imagen-4.0-generate-001",
                2, 1, 2, 1, 0.03, "fewer-images", 7L, null, Instant.now(),
                List.of(new JobClosing.ImageRecord(0, "ab", 1500, "image/png", 1024, 1024))), Duration.ofSeconds(2));
        metrics.jobEnded(request, new JobClosing("j2", JobStatus.REFUSED, null, null, 2, 0, 0, 0, null, "quota_spent",
                null, null, Instant.now(), null), Duration.ofMillis(1));

        try (var server = new OpsServer("127.0.0.1", 0, registry).start()) {
            String body = get(server, "/metrics").body();
            assertThat(body)
                    .contains("pictor_jobs_total{gateway=\"aimlapi\",model=\"imagen-4\",outcome=\"partial\"} 1.0")
                    .contains("pictor_jobs_total{gateway=\"none\",model=\"imagen-4\",outcome=\"refused\"} 1.0")
                    .contains("pictor_quota_refusals_total{reason=\"quota_spent\"} 1.0")
                    .contains("pictor_images_delivered_total{model=\"imagen-4\"} 1.0")
                    .contains("pictor_image_bytes_delivered_bytes_sum 1500.0")
                    .contains("pictor_spend_total{gateway=\"aimlapi\"} 0.03")
                    .contains("pictor_gateway_errors_total{class=\"transient-503\",gateway=\"aimlapi\"} 1.0")
                    .contains("pictor_gateway_duration_seconds_count{gateway=\"aimlapi\",result=\"ok\"} 1")
                    .contains("pictor_job_duration_seconds_bucket")
                    .contains("pictor_jobs_in_flight 0.0");
        }
    }
}
