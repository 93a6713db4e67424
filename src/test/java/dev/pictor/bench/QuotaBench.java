package dev.pictor.bench;

import dev.pictor.core.Platform;

import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.RawBuckets;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.testing.PostgresFixture;
import io.github.bucket4j.Bucket;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Quota decisions per second, persisted in SQLite and in PostgreSQL (an embedded server on this machine; skip it with
 * {@code --no-postgres}) beside in memory, in one run (issues #3, #12). Run it with:
 * <pre>
 * ./mvnw -q -B test-compile &amp;&amp; java -cp "target/test-classes:target/classes:$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" dev.pictor.bench.QuotaBench [seconds] [--no-postgres | --only-postgres]
 * </pre>
 * Each figure is {@code charge(member, 1)} calls per second (grants; the plan is large enough never to refuse),
 * after a warm-up, for one thread and for four; members are drawn from 10,000 so that rows are not all hot.
 */
public final class QuotaBench {
    private static final QuotaSettings SETTINGS = new QuotaSettings(
            Map.of("bench", List.of("1000000/1m", "100000000/1d")), "bench",
            Map.of("pooled", new QuotaSettings.ProfileQuota(List.of("100000000/1d"), 100_000_000),
                    "pool", new QuotaSettings.ProfileQuota(List.of("100000000/1d"), null)));
    private static final int MEMBERS = 10_000;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf("machine: %d cores, %s %s, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.printf("%-66s %8s %12s%n", "case", "threads", "decisions/s");

        Bucket local = Bucket.builder().addLimit(l -> l.capacity(1_000_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1))).build();
        report("in memory: one Bucket4j local bucket, tryConsume(1)", 1, seconds, t -> () -> local.tryConsume(1));

        Path dir = Files.createTempDirectory("quota-bench");
        boolean sqlite = !List.of(args).contains("--only-postgres");
        if (sqlite) try (Database memory = Database.open("jdbc:sqlite::memory:")) {
            var quota = new BucketQuota(memory, SETTINGS, Clock.systemUTC(), ChargeJournal.NONE);
            report("SQLite :memory:, BucketQuota.charge, member layer", 1, seconds, t -> charging(quota, t, null));
        }
        if (sqlite) try (Database file = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"))) {
            var quota = new BucketQuota(file, SETTINGS, Clock.systemUTC(), ChargeJournal.NONE);
            report("SQLite file (WAL), BucketQuota.charge, member layer", 1, seconds, t -> charging(quota, t, null));
            report("SQLite file (WAL), BucketQuota.charge, member layer", 4, seconds, t -> charging(quota, t, null));
            report("SQLite file (WAL), charge on member + pool + bot cap", 1, seconds, t -> charging(quota, t, "pooled"));
            var raw = new RawBuckets(file);
            report("SQLite file (WAL), raw proxy: CAS, no transaction", 1, seconds, t -> raw.compareAndSwap("raw" + t)::getAsBoolean);
            report("SQLite file (WAL), raw proxy: CAS, no transaction, 1 hot key", 4, seconds, t -> raw.compareAndSwap("hot")::getAsBoolean);
            report("SQLite file (WAL), raw proxy: CAS in BEGIN IMMEDIATE", 1, seconds, t -> raw.lockedCompareAndSwap("locked" + t)::getAsBoolean);
            report("SQLite file (WAL), raw proxy: CAS in BEGIN IMMEDIATE, 1 hot key", 4, seconds, t -> raw.lockedCompareAndSwap("hot2")::getAsBoolean);
            report("SQLite file (WAL), one hot member, member layer", 1, seconds, t -> {
                Requester hot = new Requester(Platform.CLI, "hot", null, null, null, null);
                return () -> quota.charge(hot, 1) instanceof QuotaDecision.Granted;
            });
        }
        if (!List.of(args).contains("--no-postgres")) {
            // a real PostgreSQL on this machine, started with the settings a production server keeps (every commit
            // waits for its WAL to be flushed to disk), then the tests' embedded server (zonky's defaults: fsync and
            // synchronous_commit off) for contrast
            try (EmbeddedPostgres durable = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on").start()) {
                postgres("durable (fsync, synchronous_commit on)", seconds,
                        "jdbc:postgresql://localhost:" + durable.getPort() + "/postgres?user=postgres&password=postgres");
            }
            postgres("tests' server (fsync, synchronous_commit off)", seconds, PostgresFixture.freshUrl());
        }
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    /** One pool as one process, or four pools as four processes, on the PostgreSQL at {@code url}. */
    private static void postgres(String server, int seconds, String url) throws InterruptedException {
        System.out.println("PostgreSQL " + server + ":");
        try (Database pg = Database.open(url)) {
            var quota = new BucketQuota(pg, SETTINGS, Clock.systemUTC(), ChargeJournal.NONE);
            report("PostgreSQL, 1 process, BucketQuota.charge, member layer", 1, seconds, t -> charging(quota, t, null));
            report("PostgreSQL, 1 process, BucketQuota.charge, member layer", 4, seconds, t -> charging(quota, t, null));
            report("PostgreSQL, 1 process, BucketQuota.charge, member layer", 8, seconds, t -> charging(quota, t, null));
            report("PostgreSQL, 1 process, charge on member + community pool", 8, seconds, t -> charging(quota, t, "pool"));
            report("PostgreSQL, 1 process, charge on member + pool + bot cap", 4, seconds, t -> charging(quota, t, "pooled"));
            report("PostgreSQL, 1 process, charge on member + pool + bot cap", 8, seconds, t -> charging(quota, t, "pooled"));
        }
        var processes = new ArrayList<Database>();
        try {
            var quotas = new ArrayList<BucketQuota>();
            for (int i = 0; i < 4; i++) {
                Database db = Database.open(url);
                processes.add(db);
                quotas.add(new BucketQuota(db, SETTINGS, Clock.systemUTC(), ChargeJournal.NONE));
            }
            report("PostgreSQL, 4 processes (pools), member layer, 1 thread each", 4, seconds, t -> charging(quotas.get(t), t, null));
            report("PostgreSQL, 4 processes (pools), member layer, 2 threads each", 8, seconds, t -> charging(quotas.get(t % 4), t, null));
            report("PostgreSQL, 4 processes (pools), member + community pool, 2 threads each", 8, seconds, t -> charging(quotas.get(t % 4), t, "pool"));
            report("PostgreSQL, 4 processes (pools), member + pool + bot cap", 4, seconds, t -> charging(quotas.get(t), t, "pooled"));
            report("PostgreSQL, 4 processes (pools), member + pool + bot cap, 2 threads each", 8, seconds, t -> charging(quotas.get(t % 4), t, "pooled"));
        } finally {
            processes.forEach(Database::close);
        }
    }

    interface Op {
        boolean run();
    }

    private static Op charging(BucketQuota quota, int thread, String profile) {
        var members = new Requester[MEMBERS];
        for (int i = 0; i < MEMBERS; i++) {
            members[i] = new Requester(Platform.CLI, "u" + i, null, profile == null ? null : "c" + (i % 50), profile, null);
        }
        int[] next = {thread * 7919};
        return () -> quota.charge(members[next[0]++ % MEMBERS], 1) instanceof QuotaDecision.Granted;
    }

    private static void report(String name, int threads, int seconds, IntFunction<Op> ops) throws InterruptedException {
        run(threads, Math.max(1, seconds / 2), ops); // warm-up
        double perSecond = run(threads, seconds, ops);
        System.out.printf("%-66s %8d %,12.0f%n", name, threads, perSecond);
    }

    private static double run(int threads, int seconds, IntFunction<Op> ops) throws InterruptedException {
        var done = new LongAdder();
        var refused = new LongAdder();
        var start = new CountDownLatch(1);
        long[] window = new long[2];
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            Op op = ops.apply(t);
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                while (System.nanoTime() < end) {
                    if (!op.run()) refused.increment();
                    done.increment();
                }
            }));
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
        start.countDown();
        for (Thread w : workers) w.join();
        if (refused.sum() > 0) System.out.printf("  (%d refused)%n", refused.sum());
        return done.sum() / ((System.nanoTime() - window[0]) / 1e9);
    }
}
