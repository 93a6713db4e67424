package dev.pictor.bench;

import com.sun.net.httpserver.HttpServer;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.TestImages;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The built jar started as an admin starts it ({@code java [options] -jar target/pictor.jar run} with the shipped
 * {@code config/} and {@code bots/}, or through {@code bin/pictor}), its Discord profile pointed at a fake Discord and
 * the AI/ML API at a fake that answers in 2 s, both in this process; beside it, in the same run, a bare JDA bot
 * ({@link BareBot}) in a process of its own. Modes:
 * <ul>
 *   <li>{@code measure VARIANT...}: for each variant two fresh processes. <b>First burst</b>: from the process start
 *   to "ready" (its slash commands registered with Discord and its gateway session identified), then at once 1,000 {@code /imagine} from 1,000 new
 *   members within 1 s: acknowledgement p50 / p99 / max (from the moment the fake sent INTERACTION_CREATE), how many
 *   missed Discord's 3 s, and the CPU both processes spent until the last acknowledgement; pictor's results are
 *   awaited (up to 60 s). <b>Idle</b>: ready, then 30 s of nothing: the process's resident memory (VmRSS). Before
 *   the variants, {@code bench.warmup} (1) unmeasured bursts against a bare bot warm the fakes of this JVM: Discord
 *   is not a cold JVM, and a cold fake on the same two cores slowed every variant's acknowledgements more than any
 *   difference between them (docs/benchmarks.md, issue #15). With {@code bench.repeat} N, N rounds, the variants
 *   interleaved, and then each variant's medians over its rounds.</li>
 *   <li>{@code idle VARIANT...}: only the idle processes, each variant {@code bench.repeat} times, interleaved; RSS,
 *   anonymous and file-backed. A variant with {@code -XX:NativeMemoryTracking=summary} also leaves the JVM's own
 *   account in {@code target/startup-bench-nmt-N.txt}.</li>
 *   <li>{@code heap VARIANT}: live heap per waiting job, from class histograms ({@code jcmd GC.class_histogram},
 *   after a full GC) before and while 1,000 jobs wait in their provider call (the fake provider holds every call;
 *   {@code -Dbench.concurrent=2000} lets them all call at once instead of the shipped 8; {@code -Dbench.heapSettle=N}
 *   waits N s more before the second histogram; {@code -Dbench.heapDump=FILE} writes a heap dump of the bot with
 *   the jobs waiting, right after that histogram, for {@link HeapPaths}). Also printed: the figures over a histogram taken at ready, which
 *   count what the warm-up left (members, pooled connections), and the bytes by owner of the class.</li>
 *   <li>{@code train CACHE [ITEMS]}: the launcher's own first-run training ({@code PICTOR_AOT_CACHE=CACHE}, through
 *   {@code bin/pictor}, so with its options); ITEMS are more variant items, comma-separated (e.g. {@code jar=PATH}).</li>
 * </ul>
 * pictor runs with the shipped configuration but for its quota plans and the bot's daily cap, widened so that the
 * bursts' members and their community are not refused ({@code bench.concurrent} also sets the provider's
 * {@code max-concurrent}; {@code bench.warm} adds warm bursts in the same process, with the CPU per 1,000 jobs;
 * {@code bench.timeline=true} prints when each tenth of a first burst was acknowledged). The database of each pictor
 * process is in a temporary folder, deleted afterwards, and is made (migrated) before
 * the process starts, as a restart finds it ({@code -Dbench.newDatabase=true}: a first start on a new file); the
 * last output of each kind of process is left in {@code target/startup-bench-*.log}.
 *
 * <pre>./mvnw -q -B -o -DskipTests package && ./mvnw -q -B -o test-compile \
 *   && ./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * CP="target/test-classes:target/classes:$(cat target/cp.txt)"
 * java -cp "$CP" dev.pictor.bench.StartupBench train target/pictor.aot      # a training run writes the AOT cache
 * java -cp "$CP" dev.pictor.bench.StartupBench measure bare pictor launcher
 * java -cp "$CP" dev.pictor.bench.StartupBench idle bare pictor "pictor:MALLOC_ARENA_MAX=2,-XX:+UseSerialGC"
 * java -Dbench.concurrent=2000 -cp "$CP" dev.pictor.bench.StartupBench heap pictor</pre>
 * A variant is {@code bare}, {@code pictor} or {@code launcher} ({@code bin/pictor run}, with what it adds by default;
 * options go to {@code JAVA_OPTS}), optionally followed by {@code :} and items separated by commas: {@code NAME=value}
 * sets an environment variable, {@code jar=PATH} runs another jar than {@code target/pictor.jar} (to compare two builds in
 * one run), anything else is a JVM option ({@code "pictor:-XX:AOTCache=target/pictor.aot,MALLOC_ARENA_MAX=2"}).
 */
public final class StartupBench {
    private static final Duration PROVIDER_LATENCY = Duration.ofSeconds(2);
    private static final int BURST = Integer.getInteger("bench.burst", 1000);
    private static final long WINDOW_MILLIS = Long.getLong("bench.window", 1000);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle", 30);
    /** Unmeasured bursts against a bare bot process first, so that the fakes in this JVM are warm (Discord is). */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    private static final int REPEAT = Integer.getInteger("bench.repeat", 1);
    /** The provider's max-concurrent for pictor (0: the shipped value). */
    private static final int CONCURRENT = Integer.getInteger("bench.concurrent", 0);
    /** How long pictor's results are awaited after a burst, in seconds. */
    private static final int RESULTS_SECONDS = Integer.getInteger("bench.results", 60);
    /** Heap mode: seconds more to wait, the jobs held, before the second histogram (what a job keeps once its edits went out). */
    private static final int HEAP_SETTLE_SECONDS = Integer.getInteger("bench.heapSettle", 0);
    /** Warm bursts after the first, in the same process (measure mode): CPU per 1,000 warm jobs. */
    private static final int WARM = Integer.getInteger("bench.warm", 0);
    /** Whether pictor starts on a new database (its first start: every migration runs) instead of an existing one. */
    private static final boolean NEW_DATABASE = Boolean.getBoolean("bench.newDatabase");
    /** {@code bench.timeline}: after each first burst, when its acknowledgements came, by the order they were sent. */
    private static final boolean TIMELINE = Boolean.getBoolean("bench.timeline");
    private static final Path JAR = Path.of("target/pictor.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("bin/pictor").toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    /** While set, the fake provider holds every call until it is counted down (the heap mode's waiting jobs). */
    private static volatile CountDownLatch gate;
    private static final AtomicInteger held = new AtomicInteger();
    private static final AtomicLong memberIds = new AtomicLong(3_000_000_000_000_000_000L);

    /**
     * What to start: {@code bare} ({@link BareBot}), {@code pictor} ({@code java [options] -jar target/pictor.jar run})
     * or {@code launcher} ({@code bin/pictor run}, the options in {@code JAVA_OPTS}), optionally followed by {@code :}
     * and items separated by commas: {@code NAME=value} is an environment variable (e.g. {@code MALLOC_ARENA_MAX=2}),
     * anything else a JVM option.
     */
    record Variant(String label, String kind, Map<String, String> env, List<String> jvm, Path jar) {
        static Variant parse(String text) {
            int colon = text.indexOf(':');
            String kind = colon < 0 ? text : text.substring(0, colon);
            if (!List.of("bare", "pictor", "launcher").contains(kind)) throw new IllegalArgumentException("variant " + text);
            var env = new LinkedHashMap<String, String>();
            var jvm = new ArrayList<String>();
            Path jar = JAR;
            if (colon >= 0) {
                for (String item : text.substring(colon + 1).split(",")) {
                    if (item.isEmpty()) continue;
                    if (item.startsWith("jar=")) jar = Path.of(item.substring(4)).toAbsolutePath();
                    else if (item.matches("[A-Z_][A-Z0-9_]*=.*")) env.put(item.substring(0, item.indexOf('=')), item.substring(item.indexOf('=') + 1));
                    else jvm.add(item);
                }
            }
            return new Variant(text, kind, env, jvm, jar);
        }

        boolean pictor() {
            return !kind.equals("bare");
        }

        /** Whether its result carries the image (pictor, and the bare bot making the provider call). */
        boolean files() {
            return pictor() || "1".equals(env.get("BARE_PROVIDER"));
        }
    }

    /** A bot process that got ready. */
    record Started(Variant variant, Process process, Path dir, long readyMillis) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: pictor drains and exits; a training run writes its cache on the way out
            if (!process.waitFor(120, TimeUnit.SECONDS)) process.destroyForcibly();
            if (process.exitValue() != 0 && process.exitValue() != 143) {
                System.out.println(variant.label() + " exited " + process.exitValue() + "; its output:\n" + Files.readString(dir.resolve("out.log")));
            }
            Files.copy(dir.resolve("out.log"), Path.of("target", "startup-bench-" + variant.kind() + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the last run's output, to read
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * @param lastResultMillis from the burst's first interaction until its last result came (0: none awaited)
     * @param botCpuToLastMillis the bot's CPU until then
     */
    record Burst(String variant, long readyMillis, int sent, long[] ackMillis, int late, int results, long lastResultMillis,
                 long botCpuToLastMillis, long rssMb, long benchCpuMillis, long botCpuMillis) {
        long pct(double p) {
            return ackMillis.length == 0 ? -1 : ackMillis[Math.min(ackMillis.length - 1, (int) Math.ceil(p * ackMillis.length) - 1)];
        }
    }

    record Memory(long rssMb, long anonMb, long fileMb) {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096"); // see DiscordBurstBench
        }
        // and without TCP_NODELAY every answer of the fakes waits out Nagle and the delayed ACK (~40 ms a request)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args.length < 2) throw new IllegalArgumentException("usage: train CACHE | measure VARIANT... | idle VARIANT... | heap VARIANT");
        HttpServer provider = provider();
        try (FakeDiscord fake = FakeDiscord.start().recordCalls(false).awaitTimeout(Duration.ofSeconds(60))) {
            List<Variant> variants = args[0].equals("train") ? List.of()
                    : Arrays.asList(args).subList(1, args.length).stream().map(Variant::parse).toList();
            switch (args[0]) {
                case "train" -> train(fake, provider, Path.of(args[1]).toAbsolutePath(), args.length > 2 ? args[2] : "");
                case "measure" -> measure(fake, provider, variants);
                case "idle" -> idle(fake, provider, variants);
                case "heap" -> heap(fake, provider, variants.getFirst());
                default -> throw new IllegalArgumentException("usage: train CACHE | measure VARIANT... | idle VARIANT... | heap VARIANT");
            }
        } finally {
            provider.stop(0);
        }
        System.exit(0);
    }

    /** A training run through bin/pictor writing {@code cache}; {@code items}: more variant items (e.g. jar=PATH). */
    private static void train(FakeDiscord fake, HttpServer provider, Path cache, String items) throws Exception {
        Files.deleteIfExists(cache);
        Files.deleteIfExists(cache.resolveSibling(cache.getFileName() + ".java"));
        // bin/pictor's own training run (a run with no cache yet records one), so that the cache is made as a first
        // run makes it, with the options the launcher starts pictor with, and noted as the launcher's
        var v = Variant.parse("launcher:PICTOR_AOT_CACHE=" + cache + (items.isEmpty() ? "" : "," + items));
        Burst b;
        long stopping;
        Started s = start(fake, provider, v);
        try {
            b = burst(fake, s);
        } finally {
            stopping = System.nanoTime();
            s.close(); // SIGTERM, and the wait for the JVM, which writes the cache as it exits
        }
        long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
        System.out.println("training run: ready in " + b.readyMillis() + " ms, " + b.results() + " results, RSS after the burst "
                + b.rssMb() + " MB; stopped in " + stopMillis + " ms (the cache written on the way out); cache "
                + cache + (Files.exists(cache) ? " written, " + Files.size(cache) / (1024 * 1024) + " MB" : " NOT written"));
    }

    private static void measure(FakeDiscord fake, HttpServer provider, List<Variant> variants) throws Exception {
        warmUp(fake, provider);
        var bursts = new ArrayList<Burst>();
        var idle = new ArrayList<Burst>();
        var warm = new ArrayList<Burst>();
        System.out.println("load average at the start: " + loadAverage());
        for (int r = 0; r < REPEAT; r++) {
            for (Variant v : variants) {
                try (Started s = start(fake, provider, v)) {
                    Burst b = burst(fake, s);
                    bursts.add(b);
                    System.out.println("  " + row(b) + "  (load " + loadAverage() + ")");
                    for (int w = 0; w < WARM; w++) {
                        Burst again = burst(fake, s, true);
                        warm.add(again);
                        System.out.println("  " + row(again) + "  (load " + loadAverage() + ")");
                    }
                }
                try (Started s = start(fake, provider, v)) {
                    Thread.sleep(IDLE_SECONDS * 1000L);
                    idle.add(new Burst(v.label(), s.readyMillis(), 0, new long[0], 0, 0, 0, 0, memory(s.process().pid()).rssMb(), 0, 0));
                }
            }
        }
        System.out.println();
        System.out.println("load average at the end: " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors()
                + " cores; Java " + System.getProperty("java.version") + "; burst " + BURST + " within " + WINDOW_MILLIS
                + " ms at ready; provider answers in " + PROVIDER_LATENCY.toMillis() + " ms; " + WARMUP + " warm-up burst(s) of the fakes");
        System.out.println("| variant | run → ready ms | ack p50 ms | ack p99 ms | ack max ms | > 3 s | results (last after, bot CPU to it) | CPU s bench / bot | idle ready ms | idle RSS MB |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < bursts.size(); i++) {
            System.out.println(row(bursts.get(i)) + " " + idle.get(i).readyMillis() + " | " + idle.get(i).rssMb() + " |");
        }
        if (REPEAT > 1) medians(bursts, idle, warm);
        if (!warm.isEmpty()) {
            System.out.println();
            System.out.println("warm bursts in the same processes (CPU counted until the last result):");
            System.out.println("| variant | ack p50 ms | ack p99 ms | ack max ms | > 3 s | results (last after, bot CPU to it) | CPU s bench / bot | RSS MB after |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (Burst b : warm) {
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %.1f / %.1f | %d |%n", b.variant(), b.pct(0.5), b.pct(0.99),
                        b.pct(1.0), b.late(), results(b), b.benchCpuMillis() / 1000.0, b.botCpuMillis() / 1000.0, b.rssMb());
            }
        }
    }

    /**
     * With {@code bench.repeat} rounds: each variant's median over its rounds (one run per variant cannot tell changes
     * of 10–20 % apart on a shared 2-core machine: docs/benchmarks.md, issue #15), the warm CPU as the median of each
     * round's mean over the last half of its warm bursts.
     */
    private static void medians(List<Burst> bursts, List<Burst> idle, List<Burst> warm) {
        System.out.println();
        System.out.println("medians over " + REPEAT + " rounds:");
        System.out.println("| variant | run → ready ms | ack p99 ms | > 3 s | bot CPU s, first burst | idle RSS MB | bot CPU s per warm burst, last half |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        var labels = new java.util.LinkedHashSet<String>();
        bursts.forEach(b -> labels.add(b.variant()));
        for (String label : labels) {
            var mine = new ArrayList<Burst>();
            var rss = new ArrayList<Long>();
            for (int i = 0; i < bursts.size(); i++) {
                if (!bursts.get(i).variant().equals(label)) continue;
                mine.add(bursts.get(i));
                rss.add(idle.get(i).rssMb());
            }
            var warmMeans = new ArrayList<Long>();
            var mineWarm = warm.stream().filter(b -> b.variant().equals(label + " (warm)")).toList();
            for (int r = 0; WARM > 0 && r < mineWarm.size() / WARM; r++) {
                var round = mineWarm.subList(r * WARM + WARM / 2, (r + 1) * WARM);
                warmMeans.add((long) round.stream().mapToLong(Burst::botCpuMillis).average().orElse(0));
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %d | %s |%n", label,
                    median(mine.stream().map(Burst::readyMillis).toList()), median(mine.stream().map(b -> b.pct(0.99)).toList()),
                    median(mine.stream().map(b -> (long) b.late()).toList()),
                    median(mine.stream().map(Burst::botCpuMillis).toList()) / 1000.0, median(rss),
                    warmMeans.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f", median(warmMeans) / 1000.0));
        }
    }

    static long median(List<Long> values) {
        var sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) return -1;
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** How many results came, when the last one did after the burst began, and the bot's CPU until then. */
    private static String results(Burst b) {
        return String.format(Locale.ROOT, "%d (%.1f s, %.1f s CPU)", b.results(), b.lastResultMillis() / 1000.0,
                b.botCpuToLastMillis() / 1000.0);
    }

    private static String row(Burst b) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %.1f / %.1f |", b.variant(), b.readyMillis(),
                b.pct(0.5), b.pct(0.99), b.pct(1.0), b.late(), results(b),
                b.benchCpuMillis() / 1000.0, b.botCpuMillis() / 1000.0);
    }

    /**
     * Warms the fakes of this JVM with {@link #WARMUP} unmeasured bursts against a bare bot: real Discord is not a cold
     * JVM, and a cold fake (JIT, class loading, its spec checks) on the same cores would slow every variant's
     * acknowledgements by more than any difference between them.
     */
    private static void warmUp(FakeDiscord fake, HttpServer provider) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            try (Started s = start(fake, provider, Variant.parse("bare"))) {
                Burst b = burst(fake, s);
                System.out.println("  warm-up of the fakes: " + row(b));
            }
        }
    }

    /** Each variant started {@link #REPEAT} times (variants interleaved), left idle, then its memory read. */
    private static void idle(FakeDiscord fake, HttpServer provider, List<Variant> variants) throws Exception {
        var rows = new ArrayList<String>();
        for (int r = 0; r < REPEAT; r++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                try (Started s = start(fake, provider, v)) {
                    Thread.sleep(IDLE_SECONDS * 1000L);
                    Memory m = memory(s.process().pid());
                    if (v.jvm().stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                        Path nmt = Path.of("target", "startup-bench-nmt-" + i + ".txt");
                        Files.writeString(nmt, v.label() + "\n" + jcmd(s.process().pid(), "VM.native_memory", "summary"));
                    }
                    String row = String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |", v.label(), s.readyMillis(), m.rssMb(),
                            m.anonMb(), m.fileMb());
                    System.out.println("  " + row + "  (load " + loadAverage() + ")");
                    rows.add(row);
                }
            }
        }
        System.out.println();
        System.out.println("load average at the end: " + loadAverage() + "; Java " + System.getProperty("java.version")
                + "; RSS read " + IDLE_SECONDS + " s after ready");
        System.out.println("| variant | run → ready ms | RSS MB | anonymous MB | file MB |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /**
     * Live heap per waiting job: after a warm-up burst that completes, a class histogram (a full GC first); then
     * {@link #BURST} interactions whose provider calls the fake provider holds, and once every call is held (and the
     * "Generating…" edits went out) a second histogram; the provider answers, the jobs end, a third. Per job: the
     * difference over the number of jobs.
     */
    private static void heap(FakeDiscord fake, HttpServer provider, Variant v) throws Exception {
        try (Started s = start(fake, provider, v)) {
            long pid = s.process().pid();
            Map<String, long[]> ready = histogram(pid);
            Burst warm = burst(fake, s, true, Integer.getInteger("bench.heapWarm", BURST));
            System.out.println("  warm-up burst of " + v.label() + ": " + row(warm));
            Thread.sleep(2000);
            Map<String, long[]> before = histogram(pid);
            gate = new CountDownLatch(1);
            held.set(0);
            var sent = send(fake, BURST);
            awaitAcks(sent);
            // every job that got through its acknowledgement and quota is in its provider call once the count stops
            // growing (the provider's timeout, 60 s in the shipped configuration, is far off)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            int last = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() < until) {
                int now = held.get();
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (now > 0 && System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(3)) {
                    break;
                }
                Thread.sleep(50);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(HEAP_SETTLE_SECONDS));
            int waiting = held.get();
            Map<String, long[]> during = histogram(pid);
            String dump = System.getProperty("bench.heapDump");
            if (dump != null) System.out.println("heap dump: " + jcmd(pid, "GC.heap_dump", dump).strip());
            gate.countDown();
            gate = null;
            int results = awaitResults(sent, true);
            Thread.sleep(2000);
            Map<String, long[]> after = histogram(pid);
            System.out.println();
            int acked = (int) sent.stream().filter(i -> i.ack() != null && i.ack().type() >= 0).count();
            System.out.println("load average: " + loadAverage() + "; " + v.label() + "; " + BURST + " interactions, " + acked
                    + " acknowledged in time; " + waiting + " jobs held in the provider call at the second histogram; "
                    + results + " results afterwards (within " + RESULTS_SECONDS + " s)");
            int jobs = Math.max(1, acked); // each has its job: in the provider call, or waiting for a provider slot
            long[] t1 = total(before), t2 = total(during), t3 = total(after);
            System.out.printf(Locale.ROOT, "live heap: before %.1f MB, with the jobs waiting %.1f MB, after they ended %.1f MB%n",
                    t1[1] / 1048576.0, t2[1] / 1048576.0, t3[1] / 1048576.0);
            System.out.printf(Locale.ROOT, "per waiting job: %.1f KB (%.1f objects); left per job after they ended: %.1f KB%n",
                    (t2[1] - t1[1]) / 1024.0 / jobs, (double) (t2[0] - t1[0]) / jobs, (t3[1] - t1[1]) / 1024.0 / jobs);
            // the GC's filler arrays are unused heap, not anybody's objects: the same figure without them
            String filler = "[Ljdk.internal.vm.FillerElement;";
            long f1 = before.getOrDefault(filler, new long[2])[1], f2 = during.getOrDefault(filler, new long[2])[1];
            System.out.printf(Locale.ROOT, "per waiting job without the GC's filler arrays: %.1f KB%n",
                    ((t2[1] - f2) - (t1[1] - f1)) / 1024.0 / jobs);
            // what the warm-up left (its members' state, the HTTP clients' pooled connections and their buffers) is in
            // "before": the same figure from the histogram at ready shows what a waiting job costs with it
            long t0 = total(ready)[1];
            System.out.printf(Locale.ROOT, "live heap at ready %.1f MB; after the warm-up, over ready: %.1f KB per warm-up job; "
                            + "with the jobs waiting, over ready: %.1f KB per waiting job%n", t0 / 1048576.0,
                    (t1[1] - t0) / 1024.0 / Math.max(1, warm.results()), (t2[1] - t0) / 1024.0 / jobs);
            System.out.println("| class | bytes per waiting job | instances per waiting job |");
            System.out.println("|---|---:|---:|");
            var diff = new ArrayList<Map.Entry<String, long[]>>();
            for (var e : during.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                diff.add(Map.entry(e.getKey(), new long[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
            }
            diff.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            for (var e : diff.subList(0, Math.min(30, diff.size()))) {
                System.out.printf(Locale.ROOT, "| `%s` | %.0f | %.2f |%n", e.getKey(), (double) e.getValue()[1] / jobs,
                        (double) e.getValue()[0] / jobs);
            }
            // whose classes they are (arrays, strings and collections are nobody's in particular: "JDK, other")
            var owners = new LinkedHashMap<String, long[]>();
            for (String owner : List.of("jdk.internal.vm.StackChunk", "java.net.http / jdk.internal.net.http", "okhttp3 / okio",
                    "net.dv8tion / gnu.trove", "dev.pictor", "JDK, other")) {
                owners.put(owner, new long[2]);
            }
            for (var e : diff) {
                String c = e.getKey();
                String owner = c.equals("jdk.internal.vm.StackChunk") ? "jdk.internal.vm.StackChunk"
                        : c.startsWith("jdk.internal.net.http.") || c.startsWith("java.net.http.") ? "java.net.http / jdk.internal.net.http"
                        : c.startsWith("okhttp3.") || c.startsWith("okio.") ? "okhttp3 / okio"
                        : c.startsWith("net.dv8tion.") || c.startsWith("gnu.trove.") ? "net.dv8tion / gnu.trove"
                        : c.startsWith("dev.pictor.") ? "dev.pictor" : "JDK, other";
                owners.get(owner)[0] += e.getValue()[0];
                owners.get(owner)[1] += e.getValue()[1];
            }
            System.out.println("by owner of the class, per waiting job:");
            owners.forEach((owner, t) -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f |%n", owner,
                    (double) t[1] / jobs, (double) t[0] / jobs));
            System.out.println("left by the warm-up (over the histogram at ready), per warm-up job:");
            var warmLeft = new ArrayList<Map.Entry<String, long[]>>();
            for (var e : before.entrySet()) {
                long[] b = ready.getOrDefault(e.getKey(), new long[2]);
                warmLeft.add(Map.entry(e.getKey(), new long[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
            }
            warmLeft.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            int warmJobs = Math.max(1, warm.results());
            for (var e : warmLeft.subList(0, Math.min(12, warmLeft.size()))) {
                System.out.printf(Locale.ROOT, "| `%s` | %.0f | %.2f |%n", e.getKey(), (double) e.getValue()[1] / warmJobs,
                        (double) e.getValue()[0] / warmJobs);
            }
            System.out.println("left after the jobs ended, per job:");
            var left = new ArrayList<Map.Entry<String, long[]>>();
            for (var e : after.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                left.add(Map.entry(e.getKey(), new long[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
            }
            left.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            for (var e : left.subList(0, Math.min(12, left.size()))) {
                System.out.printf(Locale.ROOT, "| `%s` | %.0f | %.2f |%n", e.getKey(), (double) e.getValue()[1] / jobs,
                        (double) e.getValue()[0] / jobs);
            }
        }
    }

    /** The shipped max-concurrent of the AI/ML API (the first provider in config/pictor.yaml). */
    private static int shippedConcurrency() throws IOException {
        var m = java.util.regex.Pattern.compile("(?m)^    max-concurrent: (\\d+)").matcher(Files.readString(Path.of("config/pictor.yaml")));
        if (!m.find()) throw new IllegalStateException("config/pictor.yaml: no max-concurrent found");
        return Integer.parseInt(m.group(1));
    }

    private static Map<String, long[]> histogram(long pid) throws Exception {
        var out = new LinkedHashMap<String, long[]>();
        var line = java.util.regex.Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
        for (String l : jcmd(pid, "GC.class_histogram").split("\n")) {
            var m = line.matcher(l);
            if (m.matches()) out.merge(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
        }
        if (out.isEmpty()) throw new IllegalStateException("no class histogram from jcmd " + pid);
        return out;
    }

    private static long[] total(Map<String, long[]> histogram) {
        long n = 0, bytes = 0;
        for (long[] v : histogram.values()) {
            n += v[0];
            bytes += v[1];
        }
        return new long[]{n, bytes};
    }

    private static String jcmd(long pid, String... command) throws Exception {
        var cmd = new ArrayList<>(List.of(JCMD.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Starts the variant with its own database in a temporary folder; returns once its commands are registered. */
    private static Started start(FakeDiscord fake, HttpServer provider, Variant v) throws Exception {
        fake.forgetCommands();
        Path dir = Files.createTempDirectory("pictor-startup-bench");
        var command = new ArrayList<String>();
        var env = new LinkedHashMap<String, String>();
        env.putAll(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN, "DISCORD_API_URL", fake.apiUrl(),
                "DISCORD_GATEWAY_URL", fake.gatewayUrl(),
                "AIMLAPI_BASE_URL", "http://127.0.0.1:" + provider.getAddress().getPort(), "AIMLAPI_KEY", "bench-key",
                "PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"), "PICTOR_HTTP_PORT", "0",
                "PICTOR_HTTP_BIND", "127.0.0.1"));
        if (v.pictor() && !NEW_DATABASE) {
            // a restart, as most starts are: the database is there already, at this build's schema
            dev.pictor.store.Database.open("jdbc:sqlite:" + dir.resolve("pictor.db")).close();
        }
        if (v.pictor()) {
            // the shipped configuration, but with room in the quota for the burst's 1,000 members and their community
            String shipped = Files.readString(Path.of("config/pictor.yaml"));
            String roomy = shipped.replaceFirst("(?m)^    free: .*\\n    supporter: .*\\n    community: .*\\n",
                    "    free: [\"100/1m\"]\n    supporter: [\"100/1m\"]\n    community: [\"100000/1m\"]\n");
            if (roomy.equals(shipped)) throw new IllegalStateException("config/pictor.yaml: no quota plans found to widen");
            if (CONCURRENT > 0) {
                String wider = roomy.replaceFirst("(?m)^    max-concurrent: \\d+", "    max-concurrent: " + CONCURRENT);
                if (wider.equals(roomy)) throw new IllegalStateException("config/pictor.yaml: no max-concurrent found");
                roomy = wider;
            }
            Path config = Files.writeString(dir.resolve("pictor.yaml"), roomy);
            // and the shipped bot profiles, but with room in the bot's daily cap for more than one burst
            Path bots = Files.createDirectories(dir.resolve("bots"));
            try (var shippedBots = Files.list(Path.of("bots"))) {
                for (Path b : shippedBots.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.writeString(bots.resolve(b.getFileName()), Files.readString(b)
                            .replaceFirst("(?m)^global-daily-cap: \\d+", "global-daily-cap: 100000000"));
                }
            }
            var run = List.of("run", "--config", config.toString(), "--bots", bots.toString());
            if (v.kind().equals("launcher")) {
                command.addAll(List.of("/bin/bash", LAUNCHER.toString()));
                command.addAll(run);
                env.put("JAVA_HOME", System.getProperty("java.home"));
                env.put("PICTOR_JAR", v.jar().toString());
                env.put("PICTOR_AOT_CACHE", "");
                if (!v.jvm().isEmpty()) env.put("JAVA_OPTS", String.join(" ", v.jvm()));
            } else {
                command.add(JAVA.toString());
                command.addAll(v.jvm());
                command.addAll(List.of("-jar", v.jar().toString()));
                command.addAll(run);
            }
        } else {
            String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            command.add(JAVA.toString());
            command.addAll(v.jvm());
            command.addAll(List.of("-cp", classPath, BareBot.class.getName()));
        }
        env.putAll(v.env());
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        int identified = fake.identifies().size();
        long begin = System.nanoTime();
        Process p = pb.start();
        try {
            // ready: its commands registered and its gateway session identified (READY sent), whichever comes last;
            // a bot may register its commands before its session is up, and only then can interactions reach it
            fake.awaitCommands("global");
            fake.await(() -> fake.identifies().size() > identified ? true : null, "the bot's IDENTIFY");
        } catch (AssertionError | RuntimeException e) {
            p.destroyForcibly();
            throw new IllegalStateException(v.label() + " did not get ready; its output:\n" + Files.readString(dir.resolve("out.log")), e);
        }
        return new Started(v, p, dir, (System.nanoTime() - begin) / 1_000_000);
    }

    /**
     * {@link #BURST} {@code /imagine} from as many new members within {@link #WINDOW_MILLIS}, at once; the CPU of both
     * processes is counted until the last acknowledgement, or with {@code untilResults} until the last result.
     */
    private static Burst burst(FakeDiscord fake, Started s, boolean untilResults) throws Exception {
        return burst(fake, s, untilResults, BURST);
    }

    private static Burst burst(FakeDiscord fake, Started s, boolean untilResults, int n) throws Exception {
        long benchCpu = processCpuNanos(), botCpu = cpuNanos(s.process().pid()), botCpuBefore = botCpu;
        long began = System.nanoTime();
        var sent = send(fake, n);
        awaitAcks(sent);
        if (!untilResults) {
            benchCpu = processCpuNanos() - benchCpu;
            botCpu = cpuNanos(s.process().pid()) - botCpu;
        }
        int results = awaitResults(sent, s.variant().files());
        long lastResult = (System.nanoTime() - began) / 1_000_000; // within the 5 ms of awaitResults' polling
        long botCpuToLast = (cpuNanos(s.process().pid()) - botCpuBefore) / 1_000_000;
        if (untilResults) {
            benchCpu = processCpuNanos() - benchCpu;
            botCpu = cpuNanos(s.process().pid()) - botCpu;
        }
        long[] acks = sent.stream().filter(i -> i.ack() != null).mapToLong(i -> i.ack().nanosAfterDispatch() / 1_000_000)
                .sorted().toArray();
        int late = (int) sent.stream().filter(i -> i.ack() == null || i.ack().type() < 0).count();
        if (TIMELINE && !untilResults) timeline(s.variant().label(), sent);
        fake.drainViolations();
        return new Burst(s.variant().label() + (untilResults ? " (warm)" : ""), s.readyMillis(), n, acks, late, results,
                lastResult, botCpuToLast, memory(s.process().pid()).rssMb(), benchCpu / 1_000_000, botCpu / 1_000_000);
    }

    /**
     * Where a burst's acknowledgements waited: for each tenth of the interactions, in the order sent, when they were
     * sent and when their acknowledgements came (median, ms after the first was sent), and their latency (median); a
     * bot busy with something else at first shows as acknowledgements that start late and then catch up.
     */
    private static void timeline(String label, List<FakeInteraction> sent) {
        long t0 = sent.getFirst().dispatchedNanos();
        var line = new StringBuilder("  timeline " + label + " (tenth: sent / acked / latency ms):");
        int tenth = Math.max(1, sent.size() / 10);
        for (int from = 0; from < sent.size(); from += tenth) {
            var part = sent.subList(from, Math.min(sent.size(), from + tenth)).stream().filter(i -> i.ack() != null).toList();
            if (part.isEmpty()) continue;
            long sentAt = median(part.stream().map(i -> (i.dispatchedNanos() - t0) / 1_000_000).toList());
            long ackedAt = median(part.stream().map(i -> (i.dispatchedNanos() + i.ack().nanosAfterDispatch() - t0) / 1_000_000).toList());
            long latency = median(part.stream().map(i -> i.ack().nanosAfterDispatch() / 1_000_000).toList());
            line.append(' ').append(sentAt).append('/').append(ackedAt).append('/').append(latency);
        }
        long first = sent.stream().filter(i -> i.ack() != null).mapToLong(i -> i.dispatchedNanos() + i.ack().nanosAfterDispatch() - t0)
                .min().orElse(-1) / 1_000_000;
        System.out.println(line + "; first acknowledgement " + first + " ms after the first was sent");
    }

    private static Burst burst(FakeDiscord fake, Started s) throws Exception {
        return burst(fake, s, false);
    }

    private static List<FakeInteraction> send(FakeDiscord fake, int n) {
        var sent = new ArrayList<FakeInteraction>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long target = t0 + i * WINDOW_MILLIS * 1_000_000L / n;
            while (System.nanoTime() < target) LockSupport.parkNanos(target - System.nanoTime());
            long id = memberIds.incrementAndGet();
            var member = new FakeDiscord.User(id, "member" + (id % 1_000_000), List.of());
            sent.add(fake.slash(member, "imagine", Map.of("prompt", "burst " + i)));
        }
        return sent;
    }

    private static void awaitAcks(List<FakeInteraction> sent) {
        for (FakeInteraction i : sent) {
            try {
                i.awaitAck();
            } catch (AssertionError lost) {
                // never acknowledged: counted as late
            }
        }
    }

    /**
     * The results, awaited up to {@link #RESULTS_SECONDS}: with {@code files}, the images in the reply (pictor, and the
     * bare bot with the provider call), else the reply no longer loading (the bare bot's followup); how many came.
     */
    private static int awaitResults(List<FakeInteraction> sent, boolean files) throws InterruptedException {
        int results = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESULTS_SECONDS);
        for (FakeInteraction i : sent) {
            while (System.nanoTime() < until) {
                FakeMessage o = i.original();
                if (o != null && !o.deleted() && (files ? !o.attachments().isEmpty() : !o.loading())) {
                    results++;
                    break;
                }
                if (i.ack() == null || i.ack().type() < 0 || (o != null && o.deleted()) || !i.followups().isEmpty()) break;
                Thread.sleep(5);
            }
        }
        return results;
    }

    /**
     * The AI/ML API taking 2 s per generation, answering one small inline PNG (b64_json); while {@link #gate} is set,
     * it holds each call until the gate opens.
     */
    private static HttpServer provider() throws IOException {
        String b64 = Base64.getEncoder().encodeToString(TestImages.png(256, 256));
        byte[] body = ("{\"data\":[{\"mime_type\":\"image/png\",\"b64_json\":\"" + b64 + "\",\"prompt\":\"an enhanced prompt\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/v1/images/generations", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                CountDownLatch g = gate;
                if (g != null) {
                    held.incrementAndGet();
                    g.await();
                } else {
                    Thread.sleep(PROVIDER_LATENCY.toMillis());
                }
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

    private static Memory memory(long pid) {
        long rss = -1, anon = -1, file = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                long kb = line.matches("^(VmRSS|RssAnon|RssFile):.*") ? Long.parseLong(line.replaceAll("\\D", "")) : -1;
                if (line.startsWith("VmRSS:")) rss = kb / 1024;
                if (line.startsWith("RssAnon:")) anon = kb / 1024;
                if (line.startsWith("RssFile:")) file = kb / 1024;
            }
        } catch (IOException e) {
            // not Linux
        }
        return new Memory(rss, anon, file);
    }

    /** CPU time (user + system) of another process, from /proc (clock ticks of 10 ms). */
    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
