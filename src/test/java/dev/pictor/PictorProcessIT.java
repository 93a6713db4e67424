package dev.pictor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as an admin runs it: {@code java -jar target/pictor.jar run} in its own process, its Telegram profile
 * pointed at the fake Bot API ({@link FakeTelegram}) and its {@code aimlapi} provider at a MockWebServer that answers
 * with the documented AIML API body. It must become ready, count a job in {@code /metrics}, and on SIGTERM in the
 * middle of a job refund that job, tell its member, and exit 0; its output must never show the token or the key.
 * Run by {@code ./mvnw verify} (failsafe) after {@code package} has built the jar.
 */
class PictorProcessIT {
    static final String GATEWAY_KEY = "aiml-IT-key-7c3e91d0b5a84f26";
    static final String TOKEN_SECRET = FakeTelegram.TOKEN.substring(FakeTelegram.TOKEN.indexOf(':') + 1);
    static final User MIA = new User(4242, "Mia", "mia");
    static final Chat MIA_DM = Chat.privateWith(MIA);
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Pattern PORT = Pattern.compile("/healthz and /metrics on port (\\d+)");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path output;
    FakeTelegram telegram;
    MockWebServer gateway;
    final List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch slowArrived = new CountDownLatch(1);
    final CountDownLatch releaseSlow = new CountDownLatch(1);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Process process;

    @BeforeEach
    void fakes() throws IOException {
        telegram = new FakeTelegram();
        gateway = new MockWebServer();
        gateway.setDispatcher(new AimlApi());
        gateway.start();
    }

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) process.destroyForcibly();
        releaseSlow.countDown();
        gateway.close();
        var violations = telegram.violations();
        telegram.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }

    @Test
    void theJar_becomesReady_countsAJob_andOnSigtermRefundsTheJobInFlight_tellsItsMember_exitsZero_showingNoSecret()
            throws Exception {
        // given the jar started with a Telegram profile and a gateway key in the environment, a 1 s shutdown grace
        process = start();
        int port = awaitPort();

        // then /healthz goes ready once the database is open and the bot polls
        String health = await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? r.body() : null;
        }, "/healthz never answered 200");
        assertThat(health).contains("\"status\":\"ready\"").contains("\"storage\":\"up\"").contains("\"started\":\"up\"").contains("\"bot:telegram\":\"up\"");

        // when Mia asks for a fox
        int fox = telegram.says(MIA_DM, MIA, "/imagine a fox");
        // then the picture arrives in her chat
        Sent photo = telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("photo") && m.replyTo == fox);
        assertThat(photo.caption).startsWith("a fox");
        // and /metrics counts one succeeded job through aimlapi, the image delivered and the gateway's credits
        // (a scrape is not atomic across series: poll until the job's last series is there)
        awaitMetrics(port,
                series("pictor_jobs_total", "outcome=\"succeeded\"", "gateway=\"aimlapi\"", "model=\"imagen-4\"") + " 1\\.0",
                series("pictor_images_delivered_total", "model=\"imagen-4\"") + " 1\\.0",
                series("pictor_spend_total", "gateway=\"aimlapi\"") + " 126000\\.0",
                "pictor_jobs_in_flight 0\\.0");
        // and the scrape has the JVM, the process, the build this jar was made from, and each health check
        var scrape = get(port, "/metrics").body();
        assertThat(scrape).containsPattern("pictor_build_info\\{commit=\"[0-9a-f]{12}\",version=\"[^\"]+\"} 1")
                .contains("pictor_check_up{check=\"bot:telegram\"} 1").contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds");
        // and every metric the shipped dashboard and alert rules name, but those only a failure creates
        var needAFailure = java.util.Set.of("pictor_gateway_errors_total", "pictor_quota_refusals_total");
        assertThat(dev.pictor.ops.OpsKit.metricNames()).filteredOn(n -> !needAFailure.contains(n))
                .allSatisfy(n -> assertThat(dev.pictor.ops.OpsKit.scraped(scrape, n)).as(n + " in the jar's /metrics").isTrue());
        // and /metricsabc is no page, nor a POST to /metrics
        assertThat(get(port, "/metricsabc").statusCode()).isEqualTo(404);

        // when Mia asks for a picture the gateway is slow to make, and pictor is told to stop while it waits
        int slow = telegram.says(MIA_DM, MIA, "/imagine a slow snail");
        assertThat(slowArrived.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the gateway got the slow request").isTrue();
        awaitMetrics(port, "pictor_jobs_in_flight 1\\.0");
        process.destroy(); // SIGTERM
        // then /healthz says not-ready while the job still has its grace
        String stopping = await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 503 ? r.body() : null;
        }, "/healthz never went not-ready during the stop");
        assertThat(stopping).contains("\"status\":\"not-ready\"").contains("\"started\":\"down\"");

        // and it exits 0 soon after the grace
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("exited within " + PATIENCE).isTrue();
        String out = Files.readString(output);
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("pictor run: SIGTERM received; stopping").contains("pictor run: stopped.");
        // and Mia read that nothing was charged
        Sent told = telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text") && m.replyTo != null && m.replyTo == slow);
        assertThat(told.text).contains("Nothing was charged");
        assertThat(telegram.botMessages(MIA_DM.id())).noneMatch(m -> m.kind.equals("photo") && m.replyTo == slow);
        // and the ledger, read from the database file after the exit, shows the fox succeeded and the snail refunded
        var jobs = jobs();
        assertThat(jobs).extracting(Job::prompt).containsExactly("a fox", "a slow snail");
        assertThat(jobs.get(0)).extracting(Job::status, Job::charged, Job::refunded).containsExactly("succeeded", 1, 0);
        assertThat(jobs.get(1)).extracting(Job::status, Job::charged, Job::refunded, Job::errorClass)
                .containsExactly("failed", 1, 1, "interrupted");

        // and the captured output is real (its job lines are there) and shows neither the token nor the key
        assertThat(out).contains("job " + jobs.get(0).id() + ": succeeded")
                .contains("job " + jobs.get(1).id() + ": failed (interrupted)")
                .doesNotContain(FakeTelegram.TOKEN).doesNotContain(TOKEN_SECRET).doesNotContain(GATEWAY_KEY);
        assertThat(prompts).containsExactly("a fox", "a slow snail");
    }

    @Test
    void theJar_whenItsDataFolderIsDeletedWhileRunning_saysSoOnce_healthzGoesDown_andTheNextImagineIsRefusedUncharged()
            throws Exception {
        // given the jar running and ready
        process = start();
        int port = awaitPort();
        await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? r.body() : null;
        }, "/healthz never answered 200");

        // when the folder holding its database is deleted
        try (var walk = Files.walk(database().getParent())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }

        // then /healthz says storage is down, and why
        String down = await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 503 && r.body().contains("\"storage\":\"down\"") ? r.body() : null;
        }, "/healthz never said storage down");
        assertThat(JSON.readTree(down).path("reasons").path("storage").asText())
                .contains("the database file " + database() + " is gone");

        // and when Mia asks for a fox, she is told pictor cannot record jobs, and no gateway is called
        int fox = telegram.says(MIA_DM, MIA, "/imagine a fox");
        Sent told = telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text") && m.replyTo != null && m.replyTo == fox);
        assertThat(told.text).contains("pictor cannot record jobs right now").contains("nothing was charged");
        assertThat(prompts).isEmpty();

        // and the log says so loudly, once
        String log = read(output);
        assertThat(log.lines().filter(l -> l.contains("ERROR") && l.contains("is gone"))).hasSize(1);
        process.destroy();
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    // ---- the process ------------------------------------------------------------------------------------------

    private Process start() throws IOException {
        Path jar = Path.of(System.getProperty("pictor.jar", "target/pictor.jar")).toAbsolutePath();
        assertThat(jar).as("the jar `./mvnw package` builds").isRegularFile();
        Path bots = Files.createDirectories(dir.resolve("bots"));
        Files.writeString(bots.resolve("telegram.yaml"), """
                platform: telegram
                token: ${TELEGRAM_TOKEN}
                api-url: %s
                """.formatted(telegram.url()));
        Path config = dir.resolve("pictor.yaml");
        Files.writeString(config, """
                storage: {url: "jdbc:sqlite:%s"}
                http: {port: 0}
                providers:
                  aimlapi: {dialect: aimlapi, base-url: "%s", api-key: "${AIMLAPI_KEY}", timeout: 60s}
                models:
                  imagen-4:
                    routes: [{provider: aimlapi, model: google/imagen-4.0-generate-001}]
                quota:
                  plans: {free: ["5/1m", "25/1d"]}
                retry: {attempts: 1}
                shutdown: {grace: 1s}
                """.formatted(database(), gatewayUrl()));
        output = dir.resolve("pictor.log");
        var pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", "--config", config.toString(), "--bots", bots.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().clear(); // nothing from the machine running the tests (no real token or key, no JAVA_TOOL_OPTIONS)
        pb.environment().put("TELEGRAM_TOKEN", FakeTelegram.TOKEN);
        pb.environment().put("AIMLAPI_KEY", GATEWAY_KEY);
        return pb.start();
    }

    private int awaitPort() {
        return await(() -> {
            Matcher m = PORT.matcher(read(output));
            return m.find() ? Integer.parseInt(m.group(1)) : null;
        }, "pictor run never said it started");
    }

    /** Polls {@code probe} until it gives a value; fails early, with the process's output, if the process ends. */
    private <T> T await(Supplier<T> probe, String failure) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            if (!process.isAlive()) {
                throw new AssertionError(failure + ": the process ended with " + process.exitValue() + "\n" + read(output));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError(failure + " within " + PATIENCE + "\n" + read(output));
    }

    /** Polls {@code /metrics} until every pattern is found in one scrape. */
    private void awaitMetrics(int port, String... patterns) {
        var compiled = java.util.Arrays.stream(patterns).map(Pattern::compile).toList();
        var last = new String[]{""};
        try {
            await(() -> {
                var r = get(port, "/metrics");
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

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Prometheus series of {@code name} whose labels include all of {@code labels}, in any order. */
    private static String series(String name, String... labels) {
        var p = new StringBuilder(Pattern.quote(name)).append("\\{");
        for (String label : labels) p.append("(?=[^}]*").append(Pattern.quote(label)).append(')');
        return p.append("[^}]*\\}").toString();
    }

    // ---- the database, read as docs/schema.md describes it ------------------------------------------------------

    record Job(String id, String prompt, String status, int charged, int refunded, String errorClass) {
    }

    /** The database file, in a folder of its own (the data folder, as in the Docker image). */
    private Path database() {
        return dir.resolve("data").resolve("pictor.db");
    }

    private List<Job> jobs() throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + database());
             var rs = c.createStatement().executeQuery(
                     "SELECT id, prompt, status, tokens_charged, tokens_refunded, error_class FROM jobs ORDER BY created_at")) {
            var out = new ArrayList<Job>();
            while (rs.next()) {
                out.add(new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6)));
            }
            return out;
        }
    }

    // ---- the gateway ------------------------------------------------------------------------------------------

    private String gatewayUrl() {
        String url = gateway.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /**
     * The AIML API: {@code POST /v1/images/generations} with the Bearer key answers the documented body
     * ({@code gateways/aimlapi-usage.json} with a real PNG); a prompt with "slow" in it is held until the test ends.
     */
    private final class AimlApi extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (!"POST".equals(request.getMethod()) || !"/v1/images/generations".equals(request.getUrl().encodedPath())) {
                return json(404, "{\"error\":\"not found\"}");
            }
            if (!("Bearer " + GATEWAY_KEY).equals(request.getHeaders().get("Authorization"))) {
                return json(401, "{\"error\":\"invalid key\"}");
            }
            String prompt;
            try {
                prompt = JSON.readTree(request.getBody().utf8()).path("prompt").asText();
            } catch (IOException e) {
                return json(400, "{\"error\":\"not JSON\"}");
            }
            prompts.add(prompt);
            if (prompt.contains("slow")) {
                slowArrived.countDown();
                releaseSlow.await(60, TimeUnit.SECONDS);
            }
            return json(200, documented("aimlapi-usage.json")
                    .replace("${PNG_BASE64}", Base64.getEncoder().encodeToString(TestImages.png(64, 64))));
        }
    }

    private static String documented(String name) {
        try (InputStream in = PictorProcessIT.class.getResourceAsStream("/gateways/" + name)) {
            if (in == null) throw new IllegalStateException("no test resource gateways/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
