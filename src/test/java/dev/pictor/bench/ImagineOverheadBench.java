package dev.pictor.bench;

import dev.pictor.core.Platform;
import java.util.Locale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ImageProvider;
import dev.pictor.core.port.Generated;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.quota.SqliteState;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.TestImages;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Issue #2's provider-path benchmark (a main, not a unit test; surefire skips {@code bench/}).
 *
 * <p>A local fake provider (JDK HttpServer on virtual threads, Nagle off) answers {@code POST
 * /v1/images/generations} after 2 s with a URL to a 1.5 MB PNG it also serves. Then:
 * <ol>
 *   <li><b>Overhead</b>: {@code GenerationService.run} end to end (aimlapi dialect, HttpImageFetcher, in-memory
 *       quota and ledger, a delivery that only counts bytes) against a bare OkHttp POST + GET of the same fake,
 *       alternating, several rounds. Figure: pictor ÷ bare (target ≤ 1.02).</li>
 *   <li><b>Burst</b>: 200 jobs submitted at once on virtual threads, provider concurrency 256. Figure: wall time
 *       from the first submit to the last terminal state (target ≤ 2.6 s; the floor is the fake's 2 s), beside 200
 *       bare POST+GET pairs and 200 calls through the providers alone (provider + fetcher, no core), with the
 *       process CPU time each burst used (the fake runs in this JVM, so it is included in all three).</li>
 * </ol>
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.pictor.bench.ImagineOverheadBench [-Dexec.args="rounds burstJobs burstRounds store"]}
 *
 * <p>{@code store} (#12): {@code memory} (the default: in-memory quota and ledger, as above), or {@code sqlite},
 * {@code postgres} or {@code stores} (both, in one run): the overhead figure with the real store as {@code pictor run}
 * wires it for that URL ({@link SqliteState}: the migrated database, the job ledger holding this process's lease
 * renewed on its own thread, the Bucket4j quota with its charge journal, the daily spend caps, a priced route so the
 * spend is reserved and settled), on an SQLite file in a temporary directory and on an embedded PostgreSQL
 * ({@code PostgresFixture}, a server process on this machine); every job's posts ask the self-fencing gate. The
 * store variants run the overhead rounds only (no burst).
 */
public final class ImagineOverheadBench {
    private static final Duration LATENCY = Duration.ofSeconds(2);
    private static final int IMAGE_BYTES = 1_500_000;
    private static final Pattern URL_FIELD = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
    private static final MediaType JSON = MediaType.get("application/json");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int burstJobs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int burstRounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String store = args.length > 3 ? args[3] : "memory";
        if (!List.of("memory", "sqlite", "postgres", "stores").contains(store)) {
            throw new IllegalArgumentException("store is memory, sqlite, postgres or stores, not " + store);
        }
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server keeps only 200 idle connections by default; pictor holds two per job to this one fake (the
        // provider's and the fetcher's, pooled apart), so the default would make every burst reconnect half of them.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.pictor"))
                .setLevel(ch.qos.logback.classic.Level.WARN);

        byte[] png = TestImages.noisyPng(IMAGE_BYTES, 42);
        try (var fake = new FakeProvider(png)) {
            OkHttpClient http = HttpClients.create();
            var settings = new ProviderSettings("fake", "aimlapi", fake.base(), "bench-key", Duration.ofSeconds(30),
                    Math.max(256, burstJobs), null, Map.of());
            ImageProvider provider = Providers.create(settings, HttpClients.forProviders());
            var providers = new ProviderSlots().add(provider, settings.maxConcurrent());
            var fetcher = new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1"));
            var quota = MemoryQuota.unlimited();
            var ledger = new MemoryLedger();
            var ids = new AtomicInteger();
            ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
            var service = TestPipeline.pipeline().quota(quota).ledger(ledger).providers(providers).fetcher(fetcher)
                    .retry(RetryPolicy.DEFAULT).ids(() -> "bench-" + ids.incrementAndGet()).executor(workers).build();
            var model = new ModelSpec("imagen-3", "Imagen 3",
                    new ModelCapabilities(List.of("1:1", "16:9"), 4, true, 400, true),
                    List.of(new Route("fake", "imagen-3.0-generate-002")));

            System.out.printf("pictor provider-path benchmark — JDK %s (%s), %d cores, image %,d bytes, provider latency %d ms%n",
                    System.getProperty("java.version"), System.getProperty("java.vm.name"),
                    Runtime.getRuntime().availableProcessors(), png.length, LATENCY.toMillis());

            if (!store.equals("memory")) {
                System.out.printf("load before: %s%n", loadavg());
                for (String engine : store.equals("stores") ? List.of("sqlite", "postgres") : List.of(store)) {
                    storeOverhead(engine, http, fake, providers, fetcher, workers, rounds);
                }
                System.out.printf("load after: %s%n", loadavg());
                workers.shutdown();
                HttpClients.close(http);
                return;
            }

            alternate("", rounds, http, fake, service, model); // warm-up (JIT, connection pool), then the rounds

            bareBurst(http, fake, workers, burstJobs); // warm-up: opens the connections a burst needs
            pictorBurst(service, model, burstJobs, -1);
            long[][] wall = new long[3][burstRounds];
            long[][] cpu = new long[3][burstRounds];
            String[] names = {"bare", "providers only", "pictor"};
            for (int b = 0; b < burstRounds; b++) {
                int round = b;
                List<Integer> order = b % 2 == 0 ? List.of(0, 1, 2) : List.of(2, 1, 0);
                for (int which : order) {
                    long cpuBefore = processCpuNanos();
                    wall[which][b] = switch (which) {
                        case 0 -> bareBurst(http, fake, workers, burstJobs);
                        case 1 -> providerBurst(provider, fetcher, workers, burstJobs);
                        default -> pictorBurst(service, model, burstJobs, round);
                    };
                    cpu[which][b] = processCpuNanos() - cpuBefore;
                }
                System.out.printf("  burst %d: %d at once — bare %5.0f ms   providers only %5.0f ms   pictor %5.0f ms   ratio %.3f%n",
                        b + 1, burstJobs, wall[0][b] / 1e6, wall[1][b] / 1e6, wall[2][b] / 1e6, (double) wall[2][b] / wall[0][b]);
            }
            for (int i = 0; i < 3; i++) {
                System.out.printf("burst %-15s median wall %5.0f ms, CPU %5.0f ms per burst (%.2f ms per job, fake included)%n",
                        names[i] + ":", median(wall[i]) / 1e6, median(cpu[i]) / 1e6, median(cpu[i]) / 1e6 / burstJobs);
            }
            System.out.printf("burst: pictor ÷ bare wall %.3f (target: pictor ≤ 2600 ms)%n", median(wall[2]) / median(wall[0]));
            System.out.printf("quota net charge %d = images delivered %d%n", quota.net(), CountingDelivery.IMAGES.get());
            workers.shutdown();
            HttpClients.close(http);
        }
    }

    /**
     * The overhead rounds with the real store on {@code engine} (sqlite: a file in a temporary directory; postgres:
     * a fresh schema on the embedded server), wired as {@code pictor run} wires a {@code storage.url} of that kind.
     */
    private static void storeOverhead(String engine, OkHttpClient http, FakeProvider fake, ProviderSlots providers,
                                      HttpImageFetcher fetcher, ExecutorService workers, int rounds) throws Exception {
        java.nio.file.Path tmp = null;
        String url;
        if (engine.equals("sqlite")) {
            tmp = java.nio.file.Files.createTempDirectory("pictor-bench-");
            url = "jdbc:sqlite:" + tmp.resolve("pictor.db");
        } else {
            url = dev.pictor.testing.PostgresFixture.freshUrl();
        }
        var model = new ModelSpec("imagen-3", "Imagen 3",
                new ModelCapabilities(List.of("1:1", "16:9"), 4, true, 400, true),
                List.of(new Route("fake", "imagen-3.0-generate-002", 0.04)));
        var catalog = new dev.pictor.core.ModelCatalog(List.of(model), "imagen-3");
        var quotaSettings = new dev.pictor.quota.QuotaSettings(Map.of("bench", List.of("1000000/1d")), "bench", Map.of());
        var spendSettings = new dev.pictor.quota.SpendSettings("USD", null, null, null, true);
        var clock = java.time.Clock.systemUTC();
        var ids = new AtomicInteger();
        var leaseThread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-lease").factory());
        try (var state = SqliteState.open(url, null, null, catalog, quotaSettings, spendSettings,
                dev.pictor.quota.SpendCaps.Warnings.NONE, clock)) {
            state.startLease(leaseThread);
            var service = TestPipeline.pipeline().quota(state.quota()).spend(state.spend()).ledger(state.ledger())
                    .providers(providers).fetcher(fetcher).retry(RetryPolicy.DEFAULT)
                    .ids(() -> "bench-" + engine + "-" + ids.incrementAndGet()).executor(workers).build();
            alternate(engine, rounds, http, fake, service, model); // warm-up also readies the store's statements
            int[] tokens = state.ledger().tokens("bench-" + engine + "-" + ids.get());
            System.out.printf("  last job on %s: charged %d, refunded %d; spent today %s USD%n", engine, tokens[0], tokens[1],
                    state.spend().spent("m:cli:member", null));
        } finally {
            leaseThread.shutdownNow();
            if (tmp != null) {
                try (var files = java.nio.file.Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /**
     * Two warm-up jobs, then {@code rounds} single jobs of pictor beside a bare POST + GET, alternating which goes first;
     * prints each round and the medians' ratio (the target is ≤ 1.02). {@code engine} names the store ("" in memory).
     */
    private static void alternate(String engine, int rounds, OkHttpClient http, FakeProvider fake,
                                  GenerationService service, ModelSpec model) throws Exception {
        for (int i = 0; i < 2; i++) {
            bare(http, fake);
            pictor(service, model, i);
        }
        String on = engine.isEmpty() ? "" : " on " + engine;
        long[] bareNanos = new long[rounds];
        long[] pictorNanos = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                bareNanos[r] = bare(http, fake);
                pictorNanos[r] = pictor(service, model, r);
            } else {
                pictorNanos[r] = pictor(service, model, r);
                bareNanos[r] = bare(http, fake);
            }
            System.out.printf("  %sround %2d: bare %7.1f ms   pictor %7.1f ms   ratio %.4f%n", engine.isEmpty() ? "" : engine + " ",
                    r + 1, bareNanos[r] / 1e6, pictorNanos[r] / 1e6, (double) pictorNanos[r] / bareNanos[r]);
        }
        double bareMedian = median(bareNanos) / 1e6, pictorMedian = median(pictorNanos) / 1e6;
        double bareMean = mean(bareNanos) / 1e6, pictorMean = mean(pictorNanos) / 1e6;
        System.out.printf("overhead%s: median bare %.1f ms, pictor %.1f ms → ratio %.4f (mean ratio %.4f; target ≤ 1.02)%n",
                on, bareMedian, pictorMedian, pictorMedian / bareMedian, pictorMean / bareMean);
    }

    private static String loadavg() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A bare OkHttp POST to the fake and GET of the URL it returns, reading both bodies. */
    private static long bare(OkHttpClient http, FakeProvider fake) throws IOException {
        long start = System.nanoTime();
        String body = "{\"model\":\"imagen-3.0-generate-002\",\"prompt\":\"bare\",\"num_images\":1}";
        String json;
        try (Response r = http.newCall(new Request.Builder().url(fake.base() + "/v1/images/generations")
                .header("Authorization", "Bearer bench-key").post(RequestBody.create(body, JSON)).build()).execute()) {
            json = r.body().string();
        }
        var m = URL_FIELD.matcher(json);
        if (!m.find()) throw new IllegalStateException("no url in " + json);
        try (Response r = http.newCall(new Request.Builder().url(m.group(1)).build()).execute()) {
            if (r.body().bytes().length != IMAGE_BYTES_SERVED.get()) throw new IllegalStateException("short image");
        }
        return System.nanoTime() - start;
    }

    private static final AtomicLong IMAGE_BYTES_SERVED = new AtomicLong();

    /** {@code jobs} bare POST+GET pairs at once, on virtual threads; the wall time until the last finished. */
    private static long bareBurst(OkHttpClient http, FakeProvider fake, ExecutorService workers, int jobs) {
        long start = System.nanoTime();
        var futures = new ArrayList<CompletableFuture<Long>>();
        for (int i = 0; i < jobs; i++) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return bare(http, fake);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, workers));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - start;
    }

    /** {@code jobs} calls through the aimlapi provider and HttpImageFetcher alone (no core), at once. */
    private static long providerBurst(ImageProvider provider, HttpImageFetcher fetcher, ExecutorService workers, int jobs) {
        var call = new ProviderCall("imagen-3.0-generate-002", "providers only", "1:1", 1, null, true);
        long start = System.nanoTime();
        var futures = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < jobs; i++) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return fetcher.fetch(provider.generate(call).images().getFirst().url()).length;
                } catch (ProviderException e) {
                    throw new IllegalStateException(e);
                }
            }, workers));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - start;
    }

    /** {@code jobs} pictor jobs submitted at once; the wall time until the last reached its terminal state. */
    private static long pictorBurst(GenerationService service, ModelSpec model, int jobs, int round) {
        long start = System.nanoTime();
        var futures = new ArrayList<CompletableFuture<JobOutcome>>();
        for (int i = 0; i < jobs; i++) {
            futures.add(service.submit(request(model, "burst " + round + "/" + i), new CountingDelivery()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        long wall = System.nanoTime() - start;
        long failed = futures.stream().filter(f -> f.join().status() != JobStatus.SUCCEEDED).count();
        if (failed > 0) throw new IllegalStateException(failed + " of " + jobs + " burst jobs did not succeed");
        return wall;
    }

    private static long pictor(GenerationService service, ModelSpec model, int round) {
        long start = System.nanoTime();
        JobOutcome outcome = service.run(request(model, "round " + round), new CountingDelivery());
        long took = System.nanoTime() - start;
        if (outcome.status() != JobStatus.SUCCEEDED) throw new IllegalStateException("job failed: " + outcome);
        return took;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static ImagineRequest request(ModelSpec model, String prompt) {
        return new ImagineRequest(Requester.of(Platform.CLI, "member"), prompt, model, "1:1", 1, null, true);
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static double mean(long[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    /** A delivery that writes nothing: it counts the images and bytes it was handed. */
    private static final class CountingDelivery implements Delivery {
        static final AtomicLong IMAGES = new AtomicLong();

        @Override
        public int deliver(Generated generated) {
            IMAGES.addAndGet(generated.images().size());
            return generated.images().size();
        }

        @Override
        public void refused(Refusal refusal) {
            throw new IllegalStateException("refused: " + refusal.message(Locale.ENGLISH));
        }
    }

    /** The fake provider: 2 s to answer a generation with a URL, then the PNG at that URL at once. */
    private static final class FakeProvider implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger generations = new AtomicInteger();
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

        FakeProvider(byte[] png) throws IOException {
            IMAGE_BYTES_SERVED.set(png.length);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.setExecutor(executor);
            server.createContext("/v1/images/generations", exchange -> {
                exchange.getRequestBody().readAllBytes();
                generations.incrementAndGet();
                try {
                    Thread.sleep(LATENCY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] answer = ("{\"data\":[{\"url\":\"" + base() + "/files/output.png\",\"mime_type\":\"image/png\","
                        + "\"prompt\":\"an enhanced prompt\"}],\"meta\":{\"usage\":{\"credits_used\":1}}}")
                        .getBytes(StandardCharsets.UTF_8);
                send(exchange, "application/json", answer);
            });
            server.createContext("/files/", exchange -> send(exchange, "image/png", png));
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
