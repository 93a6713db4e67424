package dev.pictor.bench;

import dev.pictor.core.GenerationService;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Platform;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.ImageProvider;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.quota.SqliteState;
import dev.pictor.testing.TestImages;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a job's core and SQLite store cost (issue #15): the CPU of {@code GenerationService.run} end to end, on the
 * store {@code pictor run} wires ({@link SqliteState}: the ledger under this process's lease, the Bucket4j quota with
 * its journal, the daily spend caps and a priced route), with a provider that answers at once with one small inline
 * PNG and a delivery that confirms one post. Nearly all of a job's CPU here is the core and its store: eight write
 * transactions (the job opened, the quota charged, the spend reserved, started, answered, posted, closed, the spend
 * settled) and one read (the fence's check before the post).
 *
 * <p>Each job comes from a new member (as in {@link StartupBench}'s bursts) unless {@code -Dbench.members=N} draws
 * them from N. Prints, per round of {@code -Dbench.jobs} (2,000) jobs after {@code -Dbench.warmupJobs} (4,000), the
 * CPU per job of the thread running the jobs and of the whole process (the lease thread, the compiler and the
 * collector included), the wall time per job and the database's size. {@code -Dbench.threads=N} runs N jobs at once,
 * each on a virtual thread, as in a burst (then only the process's CPU counts); {@code -Dbench.url=jdbc:sqlite::memory:}
 * keeps the database in memory, without the file's I/O. Run with the launcher's compiler and collector to compare
 * with its figures:
 * <pre>java -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -cp "$CP" dev.pictor.bench.StoreWritesBench [rounds]</pre>
 */
public final class StoreWritesBench {
    private static final int JOBS = Integer.getInteger("bench.jobs", 2000);
    private static final int WARMUP = Integer.getInteger("bench.warmupJobs", 4000);
    private static final int MEMBERS = Integer.getInteger("bench.members", 0);
    /** Another database than a new file in a temporary folder, e.g. {@code jdbc:sqlite::memory:} (no file I/O). */
    private static final String URL = System.getProperty("bench.url");
    /** Jobs at once, each on a virtual thread of its own (1: one after the other on the main thread). */
    private static final int THREADS = Integer.getInteger("bench.threads", 1);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.pictor"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.out.printf("machine: %d cores, %s %s; jobs per round %d, members %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), JOBS, MEMBERS == 0 ? "new per job" : MEMBERS);
        byte[] png = TestImages.noisyPng(1_000, 7);
        ImageProvider provider = new ImageProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public ProviderResult generate(ProviderCall call) {
                return new ProviderResult(List.of(ProviderImage.ofBytes(png, "image/png", null)), 42L, null);
            }
        };
        var model = new ModelSpec("imagen-3", "Imagen 3", new ModelCapabilities(List.of("1:1"), 4, true, 400, true),
                List.of(new Route("fake", "imagen-3.0-generate-002", 0.04)));
        var catalog = new ModelCatalog(List.of(model), "imagen-3");
        var quotaSettings = new QuotaSettings(Map.of("bench", List.of("1000000/1d")), "bench", Map.of());
        var spendSettings = new SpendSettings("USD", null, null, null, true);
        Path dir = Files.createTempDirectory("store-writes-bench");
        Path file = dir.resolve("pictor.db");
        var lease = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("bench-lease").factory());
        var ids = new AtomicInteger();
        var thread = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String url = URL != null ? URL : "jdbc:sqlite:" + file;
        try (var state = SqliteState.open(url, null, null, catalog, quotaSettings, spendSettings, SpendCaps.Warnings.NONE,
                Clock.systemUTC())) {
            state.startLease(lease);
            GenerationService service = TestPipeline.pipeline().quota(state.quota()).spend(state.spend())
                    .ledger(state.ledger()).provider(provider, Math.max(8, THREADS)).retry(RetryPolicy.DEFAULT)
                    .ids(() -> "job-" + ids.incrementAndGet()).build();
            run(service, model, WARMUP);
            for (int r = 1; r <= rounds; r++) {
                long t0 = thread.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), w0 = System.nanoTime();
                run(service, model, JOBS);
                long t1 = thread.getCurrentThreadCpuTime(), p1 = os.getProcessCpuTime(), w1 = System.nanoTime();
                String own = THREADS == 1 ? String.format(Locale.ROOT, "%.1f µs the jobs' thread, ", (t1 - t0) / 1e3 / JOBS) : "";
                System.out.printf(Locale.ROOT, "round %d: CPU per job %s%.1f µs the process; %.1f µs wall per job; "
                                + "database %.1f MB, WAL %.1f MB%n", r, own, (p1 - p0) / 1e3 / JOBS, (w1 - w0) / 1e3 / JOBS,
                        megabytes(file), megabytes(dir.resolve("pictor.db-wal")));
            }
        } finally {
            lease.shutdownNow();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double megabytes(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.size(file) / 1e6 : 0;
    }

    private static final AtomicInteger MEMBER = new AtomicInteger();

    private static void run(GenerationService service, ModelSpec model, int jobs) throws InterruptedException {
        if (THREADS == 1) {
            for (int i = 0; i < jobs; i++) job(service, model);
            return;
        }
        var left = new AtomicInteger(jobs);
        var failed = new AtomicReference<Throwable>();
        var threads = new ArrayList<Thread>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    while (left.getAndDecrement() > 0) job(service, model);
                } catch (Throwable e) {
                    failed.set(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failed.get() != null) throw new IllegalStateException(failed.get());
    }

    private static void job(GenerationService service, ModelSpec model) {
        int m = MEMBER.incrementAndGet();
        String member = "member-" + (MEMBERS == 0 ? m : m % MEMBERS);
        var request = new ImagineRequest(Requester.of(Platform.DISCORD, member), "a prompt " + m, model, "1:1", 1,
                null, true);
        JobOutcome outcome = service.run(request, new PostingDelivery("interaction-" + m));
        if (outcome.status() != JobStatus.SUCCEEDED) throw new IllegalStateException("job failed: " + outcome);
    }

    /** Confirms one post of every image, as Discord's answer to the edit would. */
    private record PostingDelivery(String origin) implements Delivery {
        @Override
        public int deliver(Generated generated) {
            generated.receipts().confirmed(new JobPost("channel", "message-" + generated.jobId(), generated.images().size()));
            return generated.images().size();
        }

        @Override
        public void refused(Refusal refusal) {
            throw new IllegalStateException("refused: " + refusal.message(Locale.ENGLISH));
        }
    }
}
