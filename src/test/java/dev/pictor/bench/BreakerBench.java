package dev.pictor.bench;

import dev.pictor.core.Platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.Requester;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.RouteBreakers;
import dev.pictor.core.TestPipeline;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue #13's routing benchmark (a main, not a unit test; surefire skips {@code bench/}): an outage of a model's
 * first route, with the circuit breaker on (shipped defaults: 50 % of 10 calls, at least 3, or 2 failing jobs in a row;
 * cool-off 30 s; retry 2 attempts, 500 ms backoff, real sleeps, only the last route a job can take retried).
 *
 * <p>Two local fakes (JDK HttpServer on virtual threads): the <b>dead</b> first route (aimlapi dialect) either answers
 * 500 at once ({@code fail-fast}) or never answers ({@code hang}: each call ends at the provider timeout, 1 s here),
 * and the <b>healthy</b> second route (openai dialect) answers a small inline PNG after {@value #HEALTHY_MS} ms. In
 * one run, alternating job by job: {@code jobs} jobs of the model whose first route is dead, and as many of a model
 * whose only route is the healthy one. Figures per scenario:
 * <ul>
 *   <li>median latency of the outage model's jobs once the breaker is open ÷ median latency of the healthy route's
 *       own jobs (target ≤ 1.05);</li>
 *   <li>calls the dead route got during the {@code jobs} jobs, opening included (target ≤ 3 per 100 jobs);</li>
 *   <li>for contrast, the same outage without a breaker (a few jobs): what each job paid before.</li>
 * </ul>
 * Run: see docs/benchmarks.md, "Routing during an outage" ({@code java -cp … dev.pictor.bench.BreakerBench [jobs]},
 * default 100).
 */
public final class BreakerBench {
    static final int HEALTHY_MS = 200;
    static final Duration HANG_TIMEOUT = Duration.ofSeconds(1);
    private static final ModelCapabilities CAPS = new ModelCapabilities(List.of("1:1"), 1, false, 400, false);

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.pictor"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.out.printf("pictor breaker benchmark — JDK %s (%s), %d cores, healthy route %d ms, %d jobs per model, "
                        + "breaker %s, retry %s%n", System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), HEALTHY_MS, jobs, BreakerPolicy.DEFAULT, RetryPolicy.DEFAULT);
        byte[] png = TestImages.png(64, 64);
        OkHttpClient http = HttpClients.create();
        try (var healthy = new Fake(Mode.HEALTHY, png)) {
            for (Mode dead : List.of(Mode.FAIL_FAST, Mode.HANG)) {
                try (var fake = new Fake(dead, png)) {
                    scenario(http, fake, healthy, jobs, true);
                }
                try (var fake = new Fake(dead, png)) {
                    scenario(http, fake, healthy, Math.min(jobs, 5), false);
                }
            }
        } finally {
            HttpClients.close(http);
        }
    }

    private static void scenario(OkHttpClient http, Fake dead, Fake healthy, int jobs, boolean breaker) throws Exception {
        var breakers = breaker ? new RouteBreakers(BreakerPolicy.DEFAULT, Clock.systemUTC()) : RouteBreakers.none();
        var providerHttp = HttpClients.forProviders();
        var providers = new ProviderSlots(breakers)
                .add(Providers.create(new ProviderSettings("dead", "aimlapi", dead.base(), "bench-key", HANG_TIMEOUT, 64, null, Map.of()), providerHttp), 64)
                .add(Providers.create(new ProviderSettings("healthy", "openai", healthy.base(), "bench-key", Duration.ofSeconds(30), 64, null, Map.of()), providerHttp), 64);
        var ids = new AtomicInteger();
        GenerationService service = TestPipeline.pipeline().quota(MemoryQuota.unlimited()).ledger(new MemoryLedger())
                .providers(providers).fetcher(new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")))
                .retry(RetryPolicy.DEFAULT).ids(() -> "bench-" + ids.incrementAndGet())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        var outage = new ModelSpec("imagen-3", "Imagen 3", CAPS, List.of(new Route("dead", "imagen-3.0-generate-002"),
                new Route("healthy", "imagen-3.0-generate-002")));
        var direct = new ModelSpec("direct", "Direct", CAPS, List.of(new Route("healthy", "imagen-3.0-generate-002")));

        for (int i = 0; i < 3; i++) run(service, direct); // warm-up: JIT, the healthy route's connection
        dead.calls.set(0);
        long[] outageNanos = new long[jobs];
        long[] directNanos = new long[jobs];
        boolean[] open = new boolean[jobs];
        int openingCalls = -1;
        long start = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
            open[j] = breakers.states().stream().anyMatch(s -> s.state() == RouteBreakers.State.OPEN);
            if (open[j] && openingCalls < 0) openingCalls = dead.calls.get();
            if (j % 2 == 0) {
                outageNanos[j] = run(service, outage);
                directNanos[j] = run(service, direct);
            } else {
                directNanos[j] = run(service, direct);
                outageNanos[j] = run(service, outage);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] whileOpen = java.util.stream.IntStream.range(0, jobs).filter(j -> open[j]).mapToLong(j -> outageNanos[j]).toArray();
        long[] before = java.util.stream.IntStream.range(0, jobs).filter(j -> !open[j]).mapToLong(j -> outageNanos[j]).toArray();
        double directMedian = median(directNanos) / 1e6;
        if (breaker) {
            double openMedian = median(whileOpen) / 1e6;
            System.out.printf("%-9s breaker on : %d jobs in %.1f s; dead route got %d calls (%.1f per 100 jobs; target ≤ 3:"
                            + " %d to open it, %d probe(s) after a cool-off);"
                            + " %d job(s) before it opened took %s ms; with it open: median %.1f ms (p90 %.1f) vs the healthy"
                            + " route's own %.1f ms (p90 %.1f) → ratio %.4f (target ≤ 1.05)%n",
                    dead.mode.word, jobs, seconds, dead.calls.get(), dead.calls.get() * 100.0 / jobs, openingCalls,
                    dead.calls.get() - openingCalls, before.length,
                    Arrays.toString(Arrays.stream(before).mapToObj(n -> String.format("%.0f", n / 1e6)).toArray()),
                    openMedian, percentile(whileOpen, 0.9) / 1e6, directMedian, percentile(directNanos, 0.9) / 1e6,
                    openMedian / directMedian);
        } else {
            double outageMedian = median(outageNanos) / 1e6;
            System.out.printf("%-9s no breaker: %d jobs; dead route got %d calls (%.1f per job); median %.1f ms vs the"
                            + " healthy route's own %.1f ms → ratio %.2f, +%.0f ms per job%n",
                    dead.mode.word, jobs, dead.calls.get(), dead.calls.get() / (double) jobs, outageMedian, directMedian,
                    outageMedian / directMedian, outageMedian - directMedian);
        }
    }

    private static long run(GenerationService service, ModelSpec model) {
        long t0 = System.nanoTime();
        JobOutcome outcome = service.run(new ImagineRequest(Requester.of(Platform.CLI, "member-1"), "a red fox", model, "1:1",
                1, null, false), RecordingDelivery.acceptingAll());
        long took = System.nanoTime() - t0;
        if (outcome.status() != JobStatus.SUCCEEDED) throw new IllegalStateException("job " + outcome.status() + ": " + outcome.refusal());
        return took;
    }

    private static double median(long[] nanos) {
        return percentile(nanos, 0.5);
    }

    private static double percentile(long[] nanos, double p) {
        if (nanos.length == 0) return Double.NaN;
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    enum Mode {
        HEALTHY("healthy"), FAIL_FAST("fail-fast"), HANG("hang");

        final String word;

        Mode(String word) {
            this.word = word;
        }
    }

    /** A local provider: answers after {@link #HEALTHY_MS}, answers 500 at once, or never answers. */
    static final class Fake implements AutoCloseable {
        final Mode mode;
        final AtomicInteger calls = new AtomicInteger();
        private final HttpServer server;
        private final byte[] answer;

        Fake(Mode mode, byte[] png) throws IOException {
            this.mode = mode;
            this.answer = ("{\"created\":1,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                calls.incrementAndGet();
                switch (mode) {
                    case HEALTHY -> {
                        sleep(HEALTHY_MS);
                        send(ex, 200, answer);
                    }
                    case FAIL_FAST -> send(ex, 500, "{\"message\":\"internal error\"}".getBytes(StandardCharsets.UTF_8));
                    case HANG -> sleep(60_000);
                }
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
