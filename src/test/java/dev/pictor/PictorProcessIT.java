package dev.pictor;

import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as an admin runs it ({@link JarRig}): {@code java -jar target/pictor.jar run} in its own process, its
 * Telegram profile pointed at the fake Bot API and its {@code aimlapi} provider at a MockWebServer that answers with
 * the documented AIML API body. It must become ready, count a job in {@code /metrics}, and on SIGTERM in the middle
 * of a job refund that job, tell its member, and exit 0; its output must never show the token or the key.
 * Run by {@code ./mvnw verify} (failsafe) after {@code package} has built the jar.
 */
class PictorProcessIT {
    static final String TOKEN_SECRET = FakeTelegram.TOKEN.substring(FakeTelegram.TOKEN.indexOf(':') + 1);
    static final User MIA = new User(4242, "Mia", "mia");
    static final Chat MIA_DM = Chat.privateWith(MIA);

    @TempDir
    Path dir;
    JarRig rig;

    @BeforeEach
    void fakes() throws Exception {
        rig = new JarRig(dir);
    }

    @AfterEach
    void stop() {
        var violations = rig.telegram.violations();
        rig.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }

    @Test
    void theJar_becomesReady_countsAJob_andOnSigtermRefundsTheJobInFlight_tellsItsMember_exitsZero_showingNoSecret()
            throws Exception {
        // given the jar started with a Telegram profile and a provider key in the environment, a 1 s shutdown grace
        int port = rig.start();

        // then /healthz goes ready once the database is open and the bot polls
        String health = rig.await(() -> {
            var r = rig.get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? r.body() : null;
        }, "/healthz never answered 200");
        assertThat(health).contains("\"status\":\"ready\"").contains("\"storage\":\"up\"").contains("\"started\":\"up\"").contains("\"bot:telegram\":\"up\"")
                .contains("\"routes\":\"up\"").contains("\"details\":{\"routes\":{\"closed\":1,\"open\":{},\"half-open\":[]}}");

        // when Mia asks for a fox
        int fox = rig.telegram.says(MIA_DM, MIA, "/imagine a fox");
        // then the picture arrives in her chat
        Sent photo = rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("photo") && m.replyTo == fox);
        assertThat(photo.caption).startsWith("a fox");
        // and /metrics counts one succeeded job through aimlapi, the image delivered and the provider's credits
        // (a scrape is not atomic across series: poll until the job's last series is there)
        awaitMetrics(port,
                series("pictor_jobs_total", "outcome=\"succeeded\"", "provider=\"aimlapi\"", "model=\"imagen-4\"") + " 1\\.0",
                series("pictor_images_delivered_total", "model=\"imagen-4\"") + " 1\\.0",
                series("pictor_spend_total", "provider=\"aimlapi\"") + " 126000\\.0",
                "pictor_jobs_in_flight 0\\.0");
        // and the scrape has the JVM, the process, the build this jar was made from, and each health check
        var scrape = rig.get(port, "/metrics").body();
        assertThat(scrape).containsPattern("pictor_build_info\\{commit=\"[0-9a-f]{12}\",version=\"[^\"]+\"} 1")
                .contains("pictor_check_up{check=\"bot:telegram\"} 1").contains("jvm_memory_used_bytes")
                .contains("pictor_route_state{model=\"google/imagen-4.0-generate-001\",provider=\"aimlapi\",state=\"closed\"} 1")
                .contains("process_uptime_seconds");
        // and every metric the shipped dashboard and alert rules name, but those only a failure creates
        var needAFailure = java.util.Set.of("pictor_provider_errors_total", "pictor_quota_refusals_total");
        assertThat(dev.pictor.ops.OpsKit.metricNames()).filteredOn(n -> !needAFailure.contains(n))
                .allSatisfy(n -> assertThat(dev.pictor.ops.OpsKit.scraped(scrape, n)).as(n + " in the jar's /metrics").isTrue());
        // and /metricsabc is no page, nor a POST to /metrics
        assertThat(rig.get(port, "/metricsabc").statusCode()).isEqualTo(404);

        // when Mia asks for a picture the provider is slow to make, and pictor is told to stop while it waits
        int slow = rig.telegram.says(MIA_DM, MIA, "/imagine a slow snail");
        assertThat(rig.slowArrived.await(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the provider got the slow request").isTrue();
        awaitMetrics(port, "pictor_jobs_in_flight 1\\.0");
        rig.process.destroy(); // SIGTERM
        // then /healthz says not-ready while the job still has its grace
        String stopping = rig.await(() -> {
            var r = rig.get(port, "/healthz");
            return r != null && r.statusCode() == 503 ? r.body() : null;
        }, "/healthz never went not-ready during the stop");
        assertThat(stopping).contains("\"status\":\"not-ready\"").contains("\"started\":\"down\"");

        // and it exits 0 soon after the grace
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("exited within " + JarRig.PATIENCE).isTrue();
        String out = Files.readString(rig.output);
        assertThat(rig.process.exitValue()).as(out).isZero();
        assertThat(out).contains("pictor run: SIGTERM received; stopping").contains("pictor run: stopped.");
        // and Mia read that nothing was charged
        Sent told = rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text") && m.replyTo != null && m.replyTo == slow);
        assertThat(told.text).contains("Nothing was charged");
        assertThat(rig.telegram.botMessages(MIA_DM.id())).noneMatch(m -> m.kind.equals("photo") && m.replyTo == slow);
        // and the ledger, read from the database file after the exit, shows the fox succeeded and the snail refunded
        var jobs = rig.jobs();
        assertThat(jobs).extracting(JarRig.Job::prompt).containsExactly("a fox", "a slow snail");
        assertThat(jobs.get(0)).extracting(JarRig.Job::status, JarRig.Job::charged, JarRig.Job::refunded).containsExactly("succeeded", 1, 0);
        assertThat(jobs.get(1)).extracting(JarRig.Job::status, JarRig.Job::charged, JarRig.Job::refunded, JarRig.Job::errorClass)
                .containsExactly("failed", 1, 1, "interrupted");

        // and the captured output is real (its job lines are there) and shows neither the token nor the key
        assertThat(out).contains("job " + jobs.get(0).id() + ": succeeded")
                .contains("job " + jobs.get(1).id() + ": failed (interrupted)")
                .doesNotContain(FakeTelegram.TOKEN).doesNotContain(TOKEN_SECRET).doesNotContain(JarRig.GATEWAY_KEY);
        assertThat(rig.prompts).containsExactly("a fox", "a slow snail");
    }

    @Test
    void theJar_whenItsDataFolderIsDeletedWhileRunning_saysSoOnce_healthzGoesDown_andTheNextImagineIsRefusedUncharged()
            throws Exception {
        // given the jar running and ready
        int port = rig.start();
        rig.await(() -> {
            var r = rig.get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? r.body() : null;
        }, "/healthz never answered 200");

        // when the folder holding its database is deleted
        try (var walk = Files.walk(rig.database().getParent())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }

        // then /healthz says storage is down, and why
        String down = rig.await(() -> {
            var r = rig.get(port, "/healthz");
            return r != null && r.statusCode() == 503 && r.body().contains("\"storage\":\"down\"") ? r.body() : null;
        }, "/healthz never said storage down");
        assertThat(JarRig.JSON.readTree(down).path("reasons").path("storage").asText())
                .contains("the database file " + rig.database() + " is gone");

        // and when Mia asks for a fox, she is told pictor cannot record jobs, and no provider is called
        int fox = rig.telegram.says(MIA_DM, MIA, "/imagine a fox");
        Sent told = rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text") && m.replyTo != null && m.replyTo == fox);
        assertThat(told.text).contains("pictor cannot record jobs right now").contains("nothing was charged");
        assertThat(rig.prompts).isEmpty();

        // and the log says so loudly, once
        String log = JarRig.read(rig.output);
        assertThat(log.lines().filter(l -> l.contains("ERROR") && l.contains("is gone"))).hasSize(1);
        rig.process.destroy();
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    /** Polls {@code /metrics} until every pattern is found in one scrape. */
    private void awaitMetrics(int port, String... patterns) {
        var compiled = java.util.Arrays.stream(patterns).map(Pattern::compile).toList();
        var last = new String[]{""};
        try {
            rig.await(() -> {
                var r = rig.get(port, "/metrics");
                if (r == null) return null;
                last[0] = r.body();
                return compiled.stream().allMatch(p -> p.matcher(r.body()).find()) ? r.body() : null;
            }, "/metrics never showed " + String.join(" and ", patterns));
        } catch (AssertionError e) {
            String series = last[0].lines().filter(l -> l.startsWith("pictor_") && !l.contains("_bucket"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            throw new AssertionError(e.getMessage() + "\nlast scrape:\n" + series, e);
        }
    }

    /** A Prometheus series of {@code name} whose labels include all of {@code labels}, in any order. */
    private static String series(String name, String... labels) {
        var p = new StringBuilder(Pattern.quote(name)).append("\\{");
        for (String label : labels) p.append("(?=[^}]*").append(Pattern.quote(label)).append(')');
        return p.append("[^}]*\\}").toString();
    }
}
