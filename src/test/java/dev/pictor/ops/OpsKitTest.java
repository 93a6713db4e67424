package dev.pictor.ops;

import dev.pictor.core.Platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import dev.pictor.core.port.JobClosing;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the alert rules in {@code deploy/} are checked against what pictor really exports: an
 * operator who imports them must never get an empty panel or an alert that can never fire because a metric was
 * renamed. (PictorProcessIT checks the same names against the real jar's scrape.)
 */
class OpsKitTest {
    private final ImagineRequest request = new ImagineRequest(Requester.of(Platform.CLI, "u1"), "a fox",
            new ModelSpec("imagen-4", "Imagen 4", new ModelCapabilities(List.of("1:1"), 4, true, 400, true),
                    List.of(new Route("aimlapi", "google/imagen-4.0-generate-001"))), "1:1", 1, null, true);

    /** A scrape of /metrics from the registry pictor runs with, after a job of every outcome and a provider error. */
    private String scrapeAfterEveryKindOfJob() throws Exception {
        try (var ops = new OpsMetrics(BuildInfo.current())) {
            var metrics = new JobMetrics(ops.registry());
            metrics.jobStarted(request);
            metrics.providerCalled("aimlapi", Duration.ofSeconds(40), "timeout");
            metrics.providerCalled("aimlapi", Duration.ofSeconds(3), null);
            var image = List.of(new JobClosing.ImageRecord(0, "ab", 1500, "image/png", 8, 8));
            for (JobStatus status : JobStatus.values()) {
                if (!status.terminal()) continue;
                boolean delivered = status == JobStatus.SUCCEEDED || status == JobStatus.PARTIAL;
                metrics.jobEnded(request, new JobClosing("j-" + status, status, delivered ? "aimlapi" : null, null, 1,
                        delivered ? 1 : 0, 1, delivered ? 0 : 1, delivered ? 0.04 : null,
                        status == JobStatus.REFUSED ? "quota_spent" : null, null, null, Instant.now(),
                        delivered ? image : null), Duration.ofSeconds(4));
            }
            // the routes' breakers, as pictor run registers them for each route through an enabled provider
            var breakers = new dev.pictor.core.RouteBreakers(dev.pictor.core.BreakerPolicy.DEFAULT, java.time.Clock.systemUTC())
                    .register(List.of(new dev.pictor.core.Route("aimlapi", "google/imagen-4.0-generate-001")));
            var routes = new RouteHealth(breakers, ops.registry());
            // the checks pictor run registers: storage, started, one per bot, and routes
            try (var server = new OpsServer("127.0.0.1", 0, ops.registry())
                    .check("storage", () -> true).check("started", () -> true).check("bot:discord", () -> true)
                    .checkWithReason("routes", routes::check).start()) {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
        }
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsName_isInAScrapeOfPictor() throws Exception {
        String scrape = scrapeAfterEveryKindOfJob();
        var names = OpsKit.metricNames();
        // the kit watches the jobs, the providers, the quota, the health checks, the build and the JVM
        assertThat(names).contains("pictor_jobs_total", "pictor_provider_errors_total", "pictor_quota_refusals_total",
                "pictor_check_up", "pictor_build_info", "jvm_memory_used_bytes", "process_cpu_usage");
        var missing = names.stream().filter(n -> !OpsKit.scraped(scrape, n)).toList();
        assertThat(missing).as("metrics named in deploy/ that pictor does not export").isEmpty();
    }

    @Test
    void theLabelValuesTheyMatch_areOnesPictorWrites() {
        var outcomes = Arrays.stream(JobStatus.values()).filter(JobStatus::terminal)
                .map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
        assertThat(OpsKit.labelValues("outcome")).isNotEmpty().allSatisfy(v -> assertThat(outcomes).contains(v));
        // check: the names pictor run gives its /healthz checks (bot:<profile> matched by a regex)
        assertThat(OpsKit.labelValues("check")).isNotEmpty()
                .allSatisfy(v -> assertThat(v).matches("storage|started|routes|bot:\\.\\+"));
        // and the route states pictor_route_state has
        var states = Arrays.stream(dev.pictor.core.RouteBreakers.State.values()).map(dev.pictor.core.RouteBreakers.State::word).toList();
        assertThat(OpsKit.labelValues("state")).isNotEmpty().allSatisfy(v -> assertThat(states).contains(v));
    }

    @Test
    void theAlertRulesCoverWhatTheIssueAsks_eachWithADelaySeverityAndSummary() {
        var alerts = new ArrayList<String>();
        for (JsonNode group : OpsKit.alerts().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                alerts.add(name);
                assertThat(rule.path("expr").asText()).as(name + " expr").isNotBlank();
                assertThat(rule.path("for").asText()).as(name + " for").matches("\\d+[smh]");
                assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning");
                assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            }
        }
        assertThat(alerts).containsExactlyInAnyOrder("PictorNoBotConnected", "PictorJobsFailing", "PictorProviderErrors",
                "PictorQuotaStoreDown", "PictorRouteOpen");
    }

    @Test
    void theDashboardIsOneGrafanaDashboard_withUniquePanels_onAChosenPrometheus() {
        JsonNode d = OpsKit.dashboard();
        assertThat(d.path("uid").asText()).isEqualTo("pictor");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id " + p.path("id")).isTrue();
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
        }
        assertThat(d.path("templating").path("list").findValuesAsText("name")).contains("datasource", "instance");
    }
}
