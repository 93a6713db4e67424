package dev.pictor.bench;

import com.sun.net.httpserver.HttpServer;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.TestImages;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The built jar started as an admin starts it ({@code java [options] -jar target/pictor.jar run} with the shipped
 * {@code config/} and {@code bots/}), its Discord profile pointed at a fake Discord and the AI/ML API at a fake that
 * answers in 2 s, both in this process; beside it, in the same run, a bare JDA bot ({@link BareBot}) in a process of
 * its own. For each variant, two fresh processes:
 * <ul>
 *   <li><b>first burst</b>: from the process start to "ready" (its slash commands registered with Discord), then at
 *   once 1,000 {@code /imagine} from 1,000 members within 1 s: acknowledgement p50 / p99 / max (from the moment the
 *   fake sent INTERACTION_CREATE) and how many missed Discord's 3 s; pictor's results are awaited (up to 60 s);</li>
 *   <li><b>idle</b>: ready, then 30 s of nothing: the process's resident memory (VmRSS).</li>
 * </ul>
 * pictor runs with the shipped configuration but for its quota plans, widened so that the burst's members and their
 * community are not refused. The database of each pictor process is in a temporary folder, deleted afterwards; the
 * last output of each kind of run is left in {@code target/startup-bench-*.log}.
 *
 * <pre>./mvnw -q -B -o -DskipTests package && ./mvnw -q -B -o test-compile \
 *   && ./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * CP="target/test-classes:target/classes:$(cat target/cp.txt)"
 * java -cp "$CP" dev.pictor.bench.StartupBench train target/pictor.aot      # a training run writes the AOT cache
 * java -cp "$CP" dev.pictor.bench.StartupBench measure bare pictor "pictor:-XX:AOTCache=target/pictor.aot"</pre>
 * A variant is {@code bare}, or {@code pictor} optionally followed by {@code :} and JVM options separated by commas
 * ({@code "pictor:-XX:AOTCache=target/pictor.aot,-XX:+UseSerialGC"}).
 */
public final class StartupBench {
    private static final Duration PROVIDER_LATENCY = Duration.ofSeconds(2);
    private static final int BURST = Integer.getInteger("bench.burst", 1000);
    private static final long WINDOW_MILLIS = Long.getLong("bench.window", 1000);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle", 30);
    private static final Path JAR = Path.of("target/pictor.jar").toAbsolutePath();

    record Burst(String variant, long readyMillis, int sent, long[] ackMillis, int late, int results, long rssMb) {
        Burst withVariant(String v) {
            return new Burst(v, readyMillis, sent, ackMillis, late, results, rssMb);
        }

        long pct(double p) {
            return ackMillis.length == 0 ? -1 : ackMillis[Math.min(ackMillis.length - 1, (int) Math.ceil(p * ackMillis.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096"); // see DiscordBurstBench
        }
        // and without TCP_NODELAY every answer of the fakes waits out Nagle and the delayed ACK (~40 ms a request)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args.length < 2) throw new IllegalArgumentException("usage: train CACHE | measure VARIANT...");
        HttpServer provider = provider();
        try (FakeDiscord fake = FakeDiscord.start().recordCalls(false).awaitTimeout(Duration.ofSeconds(60))) {
            if (args[0].equals("train")) {
                Path cache = Path.of(args[1]).toAbsolutePath();
                Files.deleteIfExists(cache);
                var b = burst(fake, provider, "pictor", List.of("-XX:AOTCacheOutput=" + cache), true);
                System.out.println("training run: ready in " + b.readyMillis() + " ms, " + b.results() + " results; cache "
                        + cache + (Files.exists(cache) ? " written, " + Files.size(cache) / (1024 * 1024) + " MB" : " NOT written"));
            } else {
                var bursts = new ArrayList<Burst>();
                var idle = new ArrayList<Burst>();
                for (String variant : Arrays.asList(args).subList(1, args.length)) {
                    String kind = variant.startsWith("pictor") ? "pictor" : "bare";
                    List<String> options = variant.contains(":")
                            ? List.of(variant.substring(variant.indexOf(':') + 1).split(",")) : List.of();
                    bursts.add(burst(fake, provider, kind, options, true).withVariant(variant));
                    idle.add(burst(fake, provider, kind, options, false).withVariant(variant));
                }
                System.out.println();
                System.out.println("load average at the end: " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors()
                        + " cores; Java " + System.getProperty("java.version") + "; burst " + BURST + " within " + WINDOW_MILLIS
                        + " ms at ready; provider answers in " + PROVIDER_LATENCY.toMillis() + " ms");
                System.out.println("| variant | run → ready ms | ack p50 ms | ack p99 ms | ack max ms | > 3 s | results | idle ready ms | idle RSS MB |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (int i = 0; i < bursts.size(); i++) {
                    Burst b = bursts.get(i), q = idle.get(i);
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %d | %d |%n", b.variant(), b.readyMillis(),
                            b.pct(0.5), b.pct(0.99), b.pct(1.0), b.late(), b.variant().startsWith("pictor") ? b.results() : "–",
                            q.readyMillis(), q.rssMb());
                }
            }
        } finally {
            provider.stop(0);
        }
        System.exit(0);
    }

    private static Burst burst(FakeDiscord fake, HttpServer provider, String kind, List<String> jvmOptions, boolean burst)
            throws Exception {
        fake.forgetCommands();
        Path dir = Files.createTempDirectory("pictor-startup-bench");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (kind.equals("pictor")) {
            // the shipped configuration, but with room in the quota for the burst's 1,000 members and their community
            String shipped = Files.readString(Path.of("config/pictor.yaml"));
            String roomy = shipped.replaceFirst("(?m)^    free: .*\\n    supporter: .*\\n    community: .*\\n",
                    "    free: [\"100/1m\"]\n    supporter: [\"100/1m\"]\n    community: [\"100000/1m\"]\n");
            if (roomy.equals(shipped)) throw new IllegalStateException("config/pictor.yaml: no quota plans found to widen");
            Path config = Files.writeString(dir.resolve("pictor.yaml"), roomy);
            command.addAll(List.of("-jar", JAR.toString(), "run", "--config", config.toString(),
                    "--bots", Path.of("bots").toAbsolutePath().toString()));
        } else {
                        String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            command.addAll(List.of("-cp", classPath, BareBot.class.getName()));
        }
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN, "DISCORD_API_URL", fake.apiUrl(),
                "DISCORD_GATEWAY_URL", fake.gatewayUrl(),
                "AIMLAPI_BASE_URL", "http://127.0.0.1:" + provider.getAddress().getPort(), "AIMLAPI_KEY", "bench-key",
                "PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"), "PICTOR_HTTP_PORT", "0",
                "PICTOR_HTTP_BIND", "127.0.0.1"));
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            fake.awaitCommands("global");
            long ready = (System.nanoTime() - start) / 1_000_000;
            if (!burst) {
                Thread.sleep(IDLE_SECONDS * 1000L);
                return new Burst(kind, ready, 0, new long[0], 0, 0, rssMb(p.pid()));
            }
            var sent = new ArrayList<FakeInteraction>(BURST);
            long t0 = System.nanoTime();
            for (int i = 0; i < BURST; i++) {
                long target = t0 + i * WINDOW_MILLIS * 1_000_000L / BURST;
                while (System.nanoTime() < target) LockSupport.parkNanos(target - System.nanoTime());
                var member = new FakeDiscord.User(3_000_000_000_000_000_000L + i, "member" + i, List.of());
                sent.add(fake.slash(member, "imagine", Map.of("prompt", "burst " + i)));
            }
            for (FakeInteraction i : sent) {
                try {
                    i.awaitAck();
                } catch (AssertionError lost) {
                    // never acknowledged: counted as late
                }
            }
            int results = 0;
            if (kind.equals("pictor")) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (FakeInteraction i : sent) {
                    while (System.nanoTime() < until) {
                        FakeMessage o = i.original();
                        if (o != null && !o.deleted() && !o.attachments().isEmpty()) {
                            results++;
                            break;
                        }
                        if (i.ack() == null || i.ack().type() < 0 || (o != null && o.deleted()) || !i.followups().isEmpty()) break;
                        Thread.sleep(5);
                    }
                }
            }
            long[] acks = sent.stream().filter(i -> i.ack() != null).mapToLong(i -> i.ack().nanosAfterDispatch() / 1_000_000)
                    .sorted().toArray();
            int late = (int) sent.stream().filter(i -> i.ack() == null || i.ack().type() < 0).count();
            fake.drainViolations();
            return new Burst(kind, ready, BURST, acks, late, results, rssMb(p.pid()));
        } finally {
            p.destroy(); // SIGTERM: pictor drains and exits; a training run writes its cache on the way out
            if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            if (p.exitValue() != 0 && p.exitValue() != 143) {
                System.out.println(kind + " exited " + p.exitValue() + "; its output:\n" + Files.readString(dir.resolve("out.log")));
            }
            Files.copy(dir.resolve("out.log"), Path.of("target", "startup-bench-" + kind + (burst ? "-burst" : "-idle") + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the last run's output, to read
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The AI/ML API taking 2 s per generation, answering one small inline PNG (b64_json). */
    private static HttpServer provider() throws IOException {
        String b64 = Base64.getEncoder().encodeToString(TestImages.png(256, 256));
        byte[] body = ("{\"data\":[{\"mime_type\":\"image/png\",\"b64_json\":\"" + b64 + "\",\"prompt\":\"an enhanced prompt\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2048);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/v1/images/generations", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                Thread.sleep(PROVIDER_LATENCY.toMillis());
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
