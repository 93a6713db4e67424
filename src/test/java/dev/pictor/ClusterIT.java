package dev.pictor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.PostgresFixture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster of issue #12: three {@code pictor run} processes of the real jar on one (embedded) PostgreSQL, one
 * Telegram bot in webhook mode behind one URL whose requests a load balancer hands to each process in turn (the fake
 * Telegram, round robin; an update sent again goes to the next process), and the fake AIML API. Members' requests
 * are each handled once by the cluster, their quotas hold exactly across the processes, and when one process is
 * killed with {@code kill -9} in the middle of its jobs another one repairs them (lease expired, claimed, refunded)
 * within a minute and tells each member once.
 */
class ClusterIT {
    static final String SECRET = "cluster-IT-webhook-secret_42";
    static final int MEMBERS = 30;
    static final int ASKS = 5;

    @TempDir
    Path dir;
    FakeTelegram telegram;
    MockWebServer provider;
    final List<String> prompts = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Member> processes = new ArrayList<>();
    String database;

    /** One process of the cluster: its output file and its HTTP port. */
    record Member(int n, Process process, Path output, int port) {
    }

    @BeforeEach
    void cluster() throws Exception {
        telegram = new FakeTelegram();
        provider = new MockWebServer();
        provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (!("Bearer " + JarRig.GATEWAY_KEY).equals(request.getHeaders().get("Authorization"))) {
                    return JarRig.json(401, "{\"error\":\"invalid key\"}");
                }
                JsonNode asked;
                try {
                    asked = JarRig.JSON.readTree(request.getBody().utf8());
                } catch (IOException e) {
                    return JarRig.json(400, "{\"error\":\"not JSON\"}");
                }
                String prompt = asked.path("prompt").asText();
                prompts.add(prompt);
                if (prompt.contains("slow")) release.await(120, TimeUnit.SECONDS);
                return JarRig.json(200, JarRig.documented(1));
            }
        });
        provider.start();
        database = PostgresFixture.freshUrl();
        for (int n = 1; n <= 3; n++) processes.add(start(n));
        // every process has set the same webhook; the load balancer knows the three
        assertThat(telegram.webhook()).isNotNull();
        telegram.forwardWebhooksTo(processes.stream().map(p -> URI.create("http://127.0.0.1:" + p.port() + "/telegram/telegram")).toList());
    }

    @AfterEach
    void stop() {
        var violations = telegram.violations();
        release.countDown();
        for (Member m : processes) if (m.process().isAlive()) m.process().destroyForcibly();
        provider.close();
        telegram.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }

    @Test
    void three_processes_handle_each_update_once_hold_quotas_exactly_and_repair_a_killed_ones_jobs_within_a_minute()
            throws Exception {
        // given 30 members who each ask for 5 images at once against a plan of 3 an hour, every 7th update sent twice
        record Ask(Chat chat, int messageId, String prompt) {
        }
        var asks = new ArrayList<Ask>();
        for (int i = 1; i <= MEMBERS; i++) {
            var member = new User(6000 + i, "Member " + i, null);
            var chat = Chat.privateWith(member);
            for (int k = 1; k <= ASKS; k++) {
                String prompt = "boat " + i + "-" + k;
                int id = telegram.says(chat, member, "/imagine " + prompt);
                asks.add(new Ask(chat, id, prompt));
                if (telegram.lastUpdateId() % 7 == 0) telegram.redeliver(telegram.lastUpdateId());
            }
        }

        // then every member gets exactly 3 pictures and 2 refusals, no request answered twice
        for (int i = 1; i <= MEMBERS; i++) {
            long chat = 6000 + i;
            await(() -> answers(chat).size() == ASKS ? true : null, Duration.ofSeconds(120), "5 answers in chat " + chat);
        }
        for (int i = 1; i <= MEMBERS; i++) {
            long chat = 6000 + i;
            List<Sent> answered = answers(chat);
            assertThat(answered).filteredOn(m -> m.kind.equals("photo")).as("pictures in chat " + chat).hasSize(3);
            assertThat(answered).filteredOn(m -> m.kind.equals("text")).as("refusals in chat " + chat).hasSize(2)
                    .allSatisfy(m -> assertThat(m.text).contains("You have used your 3 images"));
            assertThat(answered).extracting(m -> m.replyTo).as("one answer per request").doesNotHaveDuplicates();
        }
        // and the ledger agrees: a job per request, 3 per member succeeded and charged once, 2 refused and charged
        // nothing, spread over the three processes
        assertThat(scalar("SELECT count(*) FROM jobs")).isEqualTo((long) MEMBERS * ASKS);
        assertThat(scalar("SELECT count(*) FROM jobs WHERE status = 'succeeded' AND tokens_charged = 1 AND tokens_refunded = 0"))
                .isEqualTo(3L * MEMBERS);
        assertThat(scalar("SELECT count(*) FROM jobs WHERE status = 'refused' AND tokens_charged = 0")).isEqualTo(2L * MEMBERS);
        assertThat(jobsPerOwner()).as("every process took a share").hasSize(3);
        assertThat(prompts).hasSize(3 * MEMBERS).doesNotHaveDuplicates();
        assertThat(scalar("SELECT count(*) FROM telegram_inbox")).isEqualTo((long) MEMBERS * ASKS);

        // when six more members ask for slow pictures (two held by the provider in each process) and one process is killed
        var slow = new ArrayList<Ask>();
        for (int i = 1; i <= 6; i++) {
            var member = new User(7000 + i, "Late " + i, null);
            var chat = Chat.privateWith(member);
            String prompt = "a slow snail " + i;
            slow.add(new Ask(chat, telegram.says(chat, member, "/imagine " + prompt), prompt));
        }
        await(() -> prompts.stream().filter(p -> p.contains("slow")).count() == 6 ? true : null, Duration.ofSeconds(60),
                "the six slow requests at the provider");
        Member killed = processes.getFirst();
        String killedOwner = ownerOfSlowJobsIn(killed);
        long heldThere = scalar("SELECT count(*) FROM jobs WHERE owner = '" + killedOwner + "' AND status IN ('queued', 'running')");
        assertThat(heldThere).as("slow jobs in the process to kill").isPositive();
        long killedAt = System.nanoTime();
        killed.process().destroyForcibly();
        assertThat(killed.process().waitFor(20, TimeUnit.SECONDS)).isTrue();

        // then another process repairs its jobs within a minute: failed as interrupted, refunded, each member told once
        await(() -> scalar("SELECT count(*) FROM jobs WHERE owner = '" + killedOwner + "' AND status IN ('queued', 'running')") == 0
                ? true : null, Duration.ofSeconds(60), "the killed process's jobs repaired");
        Duration tookToRepair = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(tookToRepair).isLessThan(Duration.ofSeconds(60));
        assertThat(scalar("SELECT count(*) FROM jobs WHERE owner = '" + killedOwner + "' AND error_class = 'interrupted' "
                + "AND tokens_charged = 1 AND tokens_refunded = 1")).isEqualTo(heldThere);
        release.countDown();
        for (Ask ask : slow) {
            Sent answer = await(() -> {
                var found = telegram.botMessages(ask.chat().id()).stream().filter(m -> m.kind.equals("photo")
                        || (m.kind.equals("text") && m.text.contains(ask.prompt()))).toList();
                return found.isEmpty() ? null : found.getFirst();
            }, Duration.ofSeconds(60), "an answer for " + ask.prompt());
            if (answer.kind.equals("text")) assertThat(answer.text).contains("pictor restarted").contains("Nothing was charged");
        }
        Thread.sleep(1_000); // a second notice, were there one, would come from the same repair pass
        long told = slow.stream().filter(a -> telegram.botMessages(a.chat().id()).stream()
                .anyMatch(m -> m.kind.equals("text") && m.text.contains("pictor restarted"))).count();
        assertThat(told).as("members of the killed process's jobs told").isEqualTo(heldThere);
        for (Ask ask : slow) {
            assertThat(telegram.botMessages(ask.chat().id())).as("one answer for " + ask.prompt()).hasSize(1);
        }
        // and /healthz tells the truth: the two left are ready, the killed one answers nothing
        for (Member m : processes.subList(1, 3)) assertThat(get(m.port(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(killed.port(), "/healthz")).isNull();
        System.out.println("cluster: killed process's " + heldThere + " job(s) repaired " + tookToRepair.toMillis() + " ms after the kill");
    }

    /** The bot's answers to /imagine in a chat: pictures and texts that reply to a member's message. */
    private List<Sent> answers(long chat) {
        return telegram.botMessages(chat).stream().filter(m -> m.replyTo != null).toList();
    }

    private String ownerOfSlowJobsIn(Member m) throws Exception {
        // a job's owner is its process's lease, host/pid/start
        return await(() -> {
            try (var c = DriverManager.getConnection(database);
                 var rs = c.createStatement().executeQuery("SELECT owner, count(*) FROM jobs WHERE prompt LIKE 'a slow snail%' "
                         + "AND status IN ('queued', 'running') GROUP BY owner")) {
                var owners = new HashMap<String, Long>();
                while (rs.next()) owners.put(rs.getString(1), rs.getLong(2));
                if (owners.size() < 3) return null;
                String pid = "/" + m.process().pid() + "/";
                return owners.keySet().stream().filter(o -> o.contains(pid)).findFirst().orElseThrow(
                        () -> new AssertionError("no lease of " + owners.keySet() + " is process " + m.n() + "'s"));
            } catch (SQLException e) {
                return null;
            }
        }, Duration.ofSeconds(30), "the slow jobs in all three processes");
    }

    private Map<String, Integer> jobsPerOwner() throws SQLException {
        try (var c = DriverManager.getConnection(database);
             var rs = c.createStatement().executeQuery("SELECT owner, count(*) FROM jobs GROUP BY owner")) {
            var out = new HashMap<String, Integer>();
            while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
            return out;
        }
    }

    private long scalar(String sql) {
        try (var c = DriverManager.getConnection(database); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private Member start(int n) throws IOException {
        Path jar = Path.of(System.getProperty("pictor.jar", "target/pictor.jar")).toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("p" + n));
        Path bots = Files.createDirectories(home.resolve("bots"));
        Files.writeString(bots.resolve("telegram.yaml"), """
                platform: telegram
                token: ${TELEGRAM_TOKEN}
                api-url: %s
                mode: webhook
                webhook-url: https://bots.example.org/telegram/telegram
                webhook-secret: ${WEBHOOK_SECRET}
                """.formatted(telegram.url()));
        Path config = home.resolve("pictor.yaml");
        String url = provider.url("/").toString();
        Files.writeString(config, """
                storage: {url: "${DATABASE_URL}"}
                http: {port: 0, bind: 127.0.0.1}
                providers:
                  aimlapi: {dialect: aimlapi, base-url: "%s", api-key: "${AIMLAPI_KEY}", timeout: 120s}
                models:
                  imagen-4:
                    max-images: 4
                    routes: [{provider: aimlapi, model: google/imagen-4.0-generate-001}]
                quota:
                  plans: {free: ["3/1h"]}
                retry: {attempts: 1}
                shutdown: {grace: 1s}
                """.formatted(url.substring(0, url.length() - 1)));
        Path output = home.resolve("pictor.log");
        var pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "run", "--config", config.toString(), "--bots", bots.toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().put("TELEGRAM_TOKEN", FakeTelegram.TOKEN);
        pb.environment().put("AIMLAPI_KEY", JarRig.GATEWAY_KEY);
        pb.environment().put("WEBHOOK_SECRET", SECRET);
        pb.environment().put("DATABASE_URL", database);
        Process process = pb.start();
        int port = await(() -> {
            if (!process.isAlive()) throw new AssertionError("process " + n + " ended\n" + JarRig.read(output));
            Matcher m = JarRig.PORT.matcher(JarRig.read(output));
            return m.find() ? Integer.parseInt(m.group(1)) : null;
        }, Duration.ofSeconds(60), "process " + n + " never said it started");
        var member = new Member(n, process, output, port);
        await(() -> {
            var r = get(port, "/healthz");
            return r != null && r.statusCode() == 200 ? true : null;
        }, Duration.ofSeconds(60), "/healthz of process " + n + " never answered 200");
        return member;
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

    private <T> T await(Supplier<T> probe, Duration patience, String failure) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        var outputs = new StringBuilder();
        for (Member m : processes) outputs.append("--- process ").append(m.n()).append('\n').append(JarRig.read(m.output()));
        throw new AssertionError(failure + " within " + patience + "\n" + outputs);
    }
}
