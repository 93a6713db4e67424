package dev.pictor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar run as an admin runs it, for process-level tests: {@code java -jar target/pictor.jar run} with a
 * Telegram profile pointed at {@link FakeTelegram} and an {@code aimlapi} provider at a MockWebServer answering the
 * documented AIML API body (one documented {@code data[]} element per image asked). A prompt containing "slow" is held
 * by the provider until {@link #releaseSlow} (or the end of the test). The database lives in {@code data/pictor.db}.
 */
final class JarRig implements AutoCloseable {
    static final String GATEWAY_KEY = "aiml-IT-key-7c3e91d0b5a84f26";
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Pattern PORT = Pattern.compile("/healthz and /metrics on port (\\d+)");
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final FakeTelegram telegram;
    final MockWebServer provider;
    final List<String> prompts = new CopyOnWriteArrayList<>();
    final CountDownLatch slowArrived = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int runs;
    /** Whether {@link #start} runs the jar through the launcher, {@code bin/pictor}, as the README and the image do. */
    boolean viaLauncher;
    /** More environment for the next {@link #start} (e.g. PICTOR_LOG_FORMAT). */
    final java.util.Map<String, String> env = new java.util.HashMap<>();
    Process process;
    Path output;

    JarRig(Path dir) throws IOException {
        this.dir = dir;
        telegram = new FakeTelegram();
        provider = new MockWebServer();
        provider.setDispatcher(new AimlApi());
        provider.start();
    }

    /** Starts the jar (again, after a kill: each run logs to its own file); returns its HTTP port once it serves. */
    int start() throws IOException {
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
                    max-images: 4
                    routes: [{provider: aimlapi, model: google/imagen-4.0-generate-001}]
                quota:
                  plans: {free: ["50/1m", "200/1d"]}
                retry: {attempts: 1}
                shutdown: {grace: 1s}
                """.formatted(database(), gatewayUrl()));
        output = dir.resolve("pictor-" + (++runs) + ".log");
        var run = List.of("run", "--config", config.toString(), "--bots", bots.toString());
        var command = new ArrayList<String>();
        if (viaLauncher) {
            command.addAll(List.of("/bin/bash", Path.of("bin", "pictor").toAbsolutePath().toString()));
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        }
        command.addAll(run);
        var pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().clear(); // nothing from the machine running the tests (no real token or key, no JAVA_TOOL_OPTIONS)
        pb.environment().put("TELEGRAM_TOKEN", FakeTelegram.TOKEN);
        pb.environment().put("AIMLAPI_KEY", GATEWAY_KEY);
        if (viaLauncher) {
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("PICTOR_JAR", jar.toString());
            pb.environment().put("PICTOR_AOT_CACHE", ""); // unless env says where
        }
        pb.environment().putAll(env);
        process = pb.start();
        return await(() -> {
            Matcher m = PORT.matcher(read(output));
            return m.find() ? Integer.parseInt(m.group(1)) : null;
        }, "pictor run never said it started");
    }

    /** Starts the jar and waits until {@code /healthz} says ready. */
    int startReady() throws IOException {
        int port = start();
        await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? r.body() : null;
        }, "/healthz never answered 200");
        return port;
    }

    /** {@code kill -9}: the process gets no chance to close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("killed").isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    void releaseSlow() {
        releaseSlow.countDown();
    }

    /** Polls {@code probe} until it gives a value; fails early, with the process's output, if the process ends. */
    <T> T await(Supplier<T> probe, String failure) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            if (process != null && !process.isAlive()) {
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

    HttpResponse<String> get(int port, String path) {
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

    /** Everything every run of the process printed, in order. */
    String allOutput() {
        var all = new StringBuilder();
        for (int i = 1; i <= runs; i++) all.append(read(dir.resolve("pictor-" + i + ".log")));
        return all.toString();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) process.destroyForcibly();
        releaseSlow.countDown();
        provider.close();
        telegram.close();
    }

    // ---- the database, read as docs/schema.md describes it ------------------------------------------------------

    record Job(String id, String prompt, String status, int asked, int delivered, int charged, int refunded,
               String errorClass, List<String> postedMessages) {
    }

    /** The database file, in a folder of its own (the data folder, as in the Docker image). */
    Path database() {
        return dir.resolve("data").resolve("pictor.db");
    }

    List<Job> jobs() throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + database());
             var rs = c.createStatement().executeQuery("SELECT id, prompt, status, images_asked, images_delivered, "
                     + "tokens_charged, tokens_refunded, error_class FROM jobs ORDER BY created_at, id");
             var posts = c.prepareStatement("SELECT message FROM job_posts WHERE job_id = ? ORDER BY rowid")) {
            var out = new ArrayList<Job>();
            while (rs.next()) {
                posts.setString(1, rs.getString(1));
                var messages = new ArrayList<String>();
                try (var p = posts.executeQuery()) {
                    while (p.next()) messages.add(p.getString(1));
                }
                out.add(new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8), messages));
            }
            return out;
        }
    }

    // ---- the provider ------------------------------------------------------------------------------------------

    String gatewayUrl() {
        String url = provider.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /**
     * The AIML API: {@code POST /v1/images/generations} with the Bearer key answers the documented body
     * ({@code providers/aimlapi-usage.json}, its {@code data[]} element once per image asked, each a real PNG).
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
            JsonNode asked;
            try {
                asked = JSON.readTree(request.getBody().utf8());
            } catch (IOException e) {
                return json(400, "{\"error\":\"not JSON\"}");
            }
            String prompt = asked.path("prompt").asText();
            prompts.add(prompt);
            if (prompt.contains("slow")) {
                slowArrived.countDown();
                releaseSlow.await(60, TimeUnit.SECONDS);
            }
            return json(200, documented(Math.max(1, asked.path("num_images").asInt(1))));
        }
    }

    static String documented(int images) {
        try (InputStream in = JarRig.class.getResourceAsStream("/providers/aimlapi-usage.json")) {
            if (in == null) throw new IllegalStateException("no test resource providers/aimlapi-usage.json");
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${PNG_BASE64}", Base64.getEncoder().encodeToString(TestImages.png(64, 64)));
            ObjectNode tree = (ObjectNode) JSON.readTree(body);
            ArrayNode data = (ArrayNode) tree.get("data");
            JsonNode one = data.get(0);
            for (int i = 1; i < images; i++) data.add(one.deepCopy());
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
