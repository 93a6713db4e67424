package dev.pictor.bench;

import dev.pictor.core.Platform;
import java.util.Locale;

import com.sun.management.GarbageCollectionNotificationInfo;
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
import dev.pictor.core.port.Generated;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue #9 item 5c: memory per in-flight job (a main, not a unit test; surefire skips {@code bench/}).
 *
 * <p>{@code jobs} jobs of {@code images} images each are submitted at once to the real {@link GenerationService}
 * with the real provider (aimlapi dialect through {@link Providers#create}, {@link HttpImageFetcher}, the shared
 * {@link HttpClients} client, in-memory quota and ledger). The provider is a MockWebServer in a JVM of its own (so
 * that the heap measured is pictor's alone) that answers
 * after 500 ms (so that every job is in flight at once) with noisy PNGs of about {@code imageBytes} bytes, either as
 * URLs it also serves ({@code url}) or inline as base64 ({@code b64}). The delivery holds each job's images for
 * 250 ms, as an upload would, then counts them.
 *
 * <p>Reported: the peak heap used (sampled every 2 ms, and the largest heap left after any GC, i.e. the live
 * set), the heap's maximum, and whether every job delivered all its images. Run it with the heap to test:
 * <pre>java -Xmx256m -cp … dev.pictor.bench.JobMemoryBench [mode jobs images imageBytes]</pre>
 * with mode {@code url}, {@code b64} or {@code both} (default both 32 4 1500000).
 */
public final class JobMemoryBench {
    private static final Duration GATEWAY_LATENCY = Duration.ofMillis(500);
    private static final Duration UPLOAD_TIME = Duration.ofMillis(250);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        String mode = args.length > 0 ? args[0] : "both";
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int images = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int imageBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1_500_000;

        var runtime = Runtime.getRuntime();
        System.out.printf("JDK %s, %d cores, max heap %d MiB; %d jobs × %d images, PNGs of ~%d bytes%n",
                System.getProperty("java.version"), runtime.availableProcessors(), runtime.maxMemory() >> 20,
                jobs, images, imageBytes);

        boolean allOk = true;
        for (String m : mode.equals("both") ? List.of("url", "b64") : List.of(mode)) {
            allOk &= run(m, jobs, images, imageBytes);
        }
        System.exit(allOk ? 0 : 1);
    }

    /**
     * The fake provider, in a JVM of its own so that the heap measured is pictor's alone: prints its base URL,
     * serves until its standard input closes.
     */
    private static void serve(String mode, int images, int imageBytes) throws Exception {
        var pngs = new ArrayList<byte[]>();
        for (int i = 0; i < images; i++) pngs.add(TestImages.noisyPng(imageBytes, 42 + i));
        try (var server = new MockWebServer()) {
            server.start();
            var answer = answer(mode, server, pngs);
            var files = new ArrayList<MockResponse>();
            for (byte[] png : pngs) {
                files.add(new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png")
                        .body(new Buffer().write(png)).build());
            }
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String path = request.getUrl().encodedPath();
                    if (path.endsWith("/images/generations")) return answer;
                    return files.get(Integer.parseInt(path.replaceAll("\\D", "")) % files.size());
                }
            });
            System.out.println(server.url("/") + " " + pngs.getFirst().length);
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the benchmark closes our input
            }
        }
    }

    private static boolean run(String mode, int jobs, int images, int imageBytes) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process fake = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                JobMemoryBench.class.getName(), "serve", mode, Integer.toString(images), Integer.toString(imageBytes))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String[] line = new java.io.BufferedReader(new java.io.InputStreamReader(fake.getInputStream())).readLine().split(" ");
            String base = line[0];
            System.out.printf("%-4s: fake provider (own JVM) at %s, PNGs of %s bytes%n", mode, base, line[1]);
            return measure(mode, jobs, images, base);
        } finally {
            fake.getOutputStream().close();
            fake.destroy();
        }
    }

    private static boolean measure(String mode, int jobs, int images, String base) throws Exception {
        try {
            var http = HttpClients.create();
            var settings = new ProviderSettings("bench", "aimlapi", base, "bench-key",
                    Duration.ofSeconds(60), jobs * 2, null,
                    Map.of("convert_base64_to_url", mode.equals("url")));
            long maxBytes = HttpImageFetcher.DEFAULT_MAX_BYTES;
            var providers = new ProviderSlots();
            providers.add(Providers.create(settings, HttpClients.forProviders(), maxBytes), settings.maxConcurrent());
            var fetcher = new HttpImageFetcher(http, maxBytes, List.of("127.0.0.1"));
            var ids = new AtomicInteger();
            var executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
            var service = TestPipeline.pipeline().providers(providers).fetcher(fetcher).retry(RetryPolicy.DEFAULT)
                    .ids(() -> "job-" + ids.incrementAndGet()).executor(executor).build();
            var model = new ModelSpec("imagen-4", "imagen-4",
                    new ModelCapabilities(List.of("1:1"), 4, true, 400, true), List.of(new Route("bench", "imagen-4.0")));

            System.gc();
            var heap = new HeapWatch();
            heap.start();
            long started = System.nanoTime();
            var delivered = new AtomicLong();
            var futures = new ArrayList<CompletableFuture<JobOutcome>>();
            for (int j = 0; j < jobs; j++) {
                var request = new ImagineRequest(Requester.of(Platform.CLI, "member-" + j), "a fox " + j, model, "1:1",
                        images, null, false);
                futures.add(service.submit(request, new HoldingDelivery(delivered)));
            }
            int failed = 0;
            for (var f : futures) {
                JobOutcome o = f.get(5, TimeUnit.MINUTES);
                if (o.status() != JobStatus.SUCCEEDED || o.delivered() != images) {
                    failed++;
                    System.out.println("  job " + o.jobId() + ": " + o.status() + " " + o.delivered() + " "
                            + (o.refusal() == null ? "" : o.refusal().message(Locale.ENGLISH)));
                }
            }
            long wall = (System.nanoTime() - started) / 1_000_000;
            heap.stop();
            System.out.printf("%-4s: %d jobs, %d failed, %d images delivered in %d ms; peak heap used %.1f MiB"
                            + " (sampled), largest live set after a GC %.1f MiB, %d GCs%n",
                    mode, jobs, failed, delivered.get(), wall, heap.peakSampled / 1048576.0,
                    heap.peakAfterGc.get() / 1048576.0, heap.gcs.get());
            executor.shutdown();
            HttpClients.close(http);
            return failed == 0;
        } catch (OutOfMemoryError oom) {
            System.out.println(mode + ": OutOfMemoryError " + oom.getMessage());
            return false;
        }
    }

    private static MockResponse answer(String mode, MockWebServer server, List<byte[]> pngs) {
        var body = new Buffer().writeUtf8("{\"data\":[");
        for (int i = 0; i < pngs.size(); i++) {
            if (i > 0) body.writeUtf8(",");
            if (mode.equals("url")) {
                body.writeUtf8("{\"url\":\"" + server.url("/files/" + i + ".png") + "\",\"mime_type\":\"image/png\"}");
            } else {
                body.writeUtf8("{\"b64_json\":\"").writeUtf8(Base64.getEncoder().encodeToString(pngs.get(i)))
                        .writeUtf8("\",\"mime_type\":\"image/png\"}");
            }
        }
        body.writeUtf8("],\"meta\":{\"usage\":{\"credits_used\":4}}}");
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .headersDelay(GATEWAY_LATENCY.toMillis(), TimeUnit.MILLISECONDS).body(body).build();
    }

    /** Holds the images as an upload would, then says all of them arrived. */
    private record HoldingDelivery(AtomicLong delivered) implements Delivery {
        @Override
        public void progress(Progress p) {
        }

        @Override
        public int deliver(Generated generated) throws Exception {
            Thread.sleep(UPLOAD_TIME);
            delivered.addAndGet(generated.images().size());
            return generated.images().size();
        }

        @Override
        public void refused(Refusal refusal) {
            System.out.println("  refused: " + refusal.message(Locale.ENGLISH));
        }
    }

    /** Peak heap: sampled every 2 ms, and the heap left after each GC (from GC notifications). */
    private static final class HeapWatch {
        final AtomicLong peakAfterGc = new AtomicLong();
        final AtomicInteger gcs = new AtomicInteger();
        volatile long peakSampled;
        private volatile boolean running = true;
        private Thread sampler;
        private final List<Runnable> unsubscribe = new ArrayList<>();

        void start() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!(gc instanceof NotificationEmitter emitter)) continue;
                javax.management.NotificationListener listener = (n, h) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long after = 0;
                    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() != MemoryType.HEAP) continue;
                        var usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                        if (usage != null) after += usage.getUsed();
                    }
                    gcs.incrementAndGet();
                    peakAfterGc.accumulateAndGet(after, Math::max);
                };
                emitter.addNotificationListener(listener, null, null);
                unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
            var memory = ManagementFactory.getMemoryMXBean();
            sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    peakSampled = Math.max(peakSampled, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            unsubscribe.forEach(Runnable::run);
        }
    }
}
