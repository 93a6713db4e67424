package dev.pictor.bench;

import com.sun.net.httpserver.HttpServer;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.discord.DiscordBot;
import dev.pictor.discord.DiscordBotSettings;
import dev.pictor.core.chat.ChatServices;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.TestImages;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import okhttp3.OkHttpClient;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A burst of interactions against the fake Discord: how fast each is acknowledged (the defer callback reaching the
 * fake, measured from the moment the fake sent INTERACTION_CREATE), for a bare JDA bot (defer + one followup, nothing
 * else) and for pictor's bot with the real core and AIML API provider in front of a provider that takes 2 s, in the
 * same JVM and run, alternating. On a shared 2-core machine the bare bot is the yardstick: the ratio is the figure.
 *
 * <pre>./mvnw -q -B test-compile
 * ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Dsun.net.httpserver.nodelay=true -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
 *     dev.pictor.bench.DiscordBurstBench [interactions=1000] [windowMillis=1000] [rounds=3] [first=bare|pictor]</pre>
 * {@code first} picks the bot whose cold burst is this JVM's very first (the "first burst after start"); the other
 * bot's cold burst follows on a JVM its classes and the fakes already warmed.
 */
public final class DiscordBurstBench {
    private static final Duration GATEWAY_LATENCY = Duration.ofSeconds(2);
    private static final ModelSpec MODEL = new ModelSpec("imagen-3", "Imagen 3",
            new ModelCapabilities(List.of("1:1", "16:9"), 4, true, 400, true),
            List.of(new Route("aiml", "imagen-3.0-generate-002")));

    private record Result(String bot, int sent, int acked, long[] ackMillis, int late, long completeMillis,
                          long heapAfterGcMb, long rssMb, long cpuMillis) {
        long pct(double p) {
            if (ackMillis.length == 0) return -1;
            return ackMillis[Math.min(ackMillis.length - 1, (int) Math.ceil(p * ackMillis.length) - 1)];
        }

        String line() {
            return line(bot);
        }

        String line(String label) {
            return String.format(Locale.ROOT, "| %-11s | %5d | %5d | %6d | %6d | %6d | %5d | %8.1f | %5d | %5d | %5.1f |",
                    label, sent, acked, pct(0.50), pct(0.99), ackMillis.length == 0 ? -1 : ackMillis[ackMillis.length - 1],
                    late, completeMillis / 1000.0, heapAfterGcMb, rssMb, cpuMillis / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        // the JDK server behind both fakes closes pooled connections beyond 200 idle ones at once; pictor's clients do
        // not resend a request on a connection the server closed (the provider or Discord may have acted), so in a
        // burst of 1,000 the fakes' default would fail calls that real Discord and providers keep open
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
        // and without TCP_NODELAY every answer of the fakes waits out Nagle and the delayed ACK (~40 ms a request)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long windowMillis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // which bot takes the JVM's very first burst (the other's cold burst then runs on a JVM already warmed)
        String first = args.length > 3 ? args[3] : "bare";
        if (!first.equals("bare") && !first.equals("pictor")) throw new IllegalArgumentException("first: bare or pictor");

        var provider = slowGateway();
        var results = new ArrayList<Result>();
        try (FakeDiscord fake = FakeDiscord.start().recordCalls(false).awaitTimeout(Duration.ofSeconds(20))) {
            // A first (cold) burst each warms up the JIT and the pools; it is shown apart, not in the ratios.
            String second = first.equals("bare") ? "pictor" : "bare";
            var cold = List.of(run(first, fake, provider, n, windowMillis, false),
                    run(second, fake, provider, n, windowMillis, false));
            long coldLate = fake.drainViolations().stream().filter(v -> v.contains("acknowledged after")).count();
            for (int r = 0; r < rounds; r++) {
                results.add(run("bare", fake, provider, n, windowMillis, true));
                results.add(run("pictor", fake, provider, n, windowMillis, true));
            }
            var violations = fake.drainViolations();
            System.out.println();
            System.out.println("machine: " + machine());
            System.out.println("uptime load average: " + loadAverage() + "; first burst of this JVM: " + first);
            System.out.println("burst: " + n + " interactions within " + windowMillis + " ms; provider answers in "
                    + GATEWAY_LATENCY.toMillis() + " ms");
            System.out.println("| bot         | sent  | acked | p50 ms | p99 ms | max ms | >3 s  | all done s | heap MB | RSS MB | CPU s |");
            System.out.println("|-------------|-------|-------|--------|--------|--------|-------|------------|---------|--------|-------|");
            cold.forEach(x -> System.out.println(x.line(x.bot() + (x == cold.getFirst() ? " 1st" : " cold"))));
            results.forEach(x -> System.out.println(x.line()));
            var p50 = new double[rounds];
            var p99 = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Result bare = results.get(2 * r), pictor = results.get(2 * r + 1);
                p50[r] = (double) pictor.pct(0.5) / Math.max(1, bare.pct(0.5));
                p99[r] = (double) pictor.pct(0.99) / Math.max(1, bare.pct(0.99));
                System.out.printf(Locale.ROOT, "round %d: pictor/bare p50 %.2f, p99 %.2f%n", r + 1, p50[r], p99[r]);
            }
            Arrays.sort(p50);
            Arrays.sort(p99);
            System.out.printf(Locale.ROOT, "median of rounds: pictor/bare p50 %.2f, p99 %.2f%n", p50[rounds / 2], p99[rounds / 2]);
            long lateAcks = violations.stream().filter(v -> v.contains("acknowledged after")).count();
            System.out.println("fake Discord violations after the cold bursts: " + violations.size() + " (late acknowledgements: "
                    + lateAcks + "); late acknowledgements in the cold bursts: " + coldLate);
            violations.stream().filter(v -> !v.contains("acknowledged after")).distinct().limit(10).forEach(v -> System.out.println("  " + v));
        } finally {
            provider.stop(0);
        }
        System.exit(0);
    }

    private static Result run(String bot, FakeDiscord fake, HttpServer gateway, int n, long windowMillis, boolean measure)
            throws Exception {
        fake.forgetCommands();
        Runnable stop;
        boolean pictor = bot.equals("pictor");
        ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
        OkHttpClient http = HttpClients.create();
        if (pictor) {
            var quota = MemoryQuota.unlimited();
            var ledger = new MemoryLedger();
            var aiml = new ProviderSettings("aiml", "aimlapi", "http://127.0.0.1:" + gateway.getAddress().getPort(),
                    "bench-key", Duration.ofSeconds(30), 2000, null, Map.of());
            var generation = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(Providers.create(aiml, HttpClients.forProviders()), 2000)
                    .fetcher(new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")))
                    .retry(RetryPolicy.DEFAULT).executor(jobs).build();
            var catalog = new ModelCatalog(List.of(MODEL), "imagen-3");
            var services = new ChatServices(generation, new OptionParser(), new RequestValidator(catalog, List.of()),
                    catalog, quota, ledger, null, null, Clock.systemUTC(), new SplittableRandom(1));
            var settings = DiscordBotSettings.of("bench", FakeDiscord.TOKEN)
                    .withEndpoints(fake.apiUrl(), fake.gatewayUrl(), false).withWorkers(4, 10_000);
            DiscordBot b = new DiscordBot(settings, services).start();
            b.awaitReady(Duration.ofSeconds(30));
            stop = b::close;
        } else {
            JDA jda = bareBot(fake);
            stop = () -> {
                jda.shutdown();
                try {
                    jda.awaitShutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
        fake.awaitCommands("global");
        System.gc();

        var sent = new ArrayList<FakeInteraction>(n);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long target = start + i * windowMillis * 1_000_000L / n;
            while (System.nanoTime() < target) LockSupport.parkNanos(target - System.nanoTime());
            sent.add(fake.slash(FakeDiscord.ALICE, "imagine", Map.of("prompt", "burst " + i)));
        }
        long sentMillis = (System.nanoTime() - start) / 1_000_000;
        for (FakeInteraction i : sent) {
            try {
                i.awaitAck();
            } catch (AssertionError lost) {
                // never acknowledged (the bot's callback failed): counted as late below
            }
        }
        long heap = heapAfterGcMb();
        long rss = rssMb();
        // Done: bare bot's followup replaced the loading message; pictor's images arrived, or its job failed and
        // said so privately (counted as failed)
        int failed = 0;
        for (FakeInteraction i : sent) {
            if (i.ack() == null || i.ack().type() < 0) continue; // lost or too late: nothing more will come
            try {
                if (pictor) {
                    boolean images = fake.await(() -> {
                        FakeMessage o = i.original();
                        if (o != null && !o.deleted() && !o.attachments().isEmpty()) return true;
                        return (o != null && o.deleted()) || !i.followups().isEmpty() ? false : null;
                    }, "the images or a refusal for interaction " + i.id());
                    if (!images) failed++;
                } else {
                    i.awaitOriginal(m -> !m.loading(), "the bare bot's followup");
                }
            } catch (AssertionError never) {
                failed++;
            }
        }
        if (failed > 0) System.out.println(bot + ": " + failed + " acknowledged interactions got no result");
        long complete = (System.nanoTime() - start) / 1_000_000;
        long cpu = (processCpuNanos() - cpuBefore) / 1_000_000; // the fakes' share is in both bots' figures
        stop.run();
        jobs.shutdown();
        HttpClients.close(http);

        long[] ack = sent.stream().filter(i -> i.ack() != null).mapToLong(i -> i.ack().nanosAfterDispatch() / 1_000_000)
                .sorted().toArray();
        int late = (int) sent.stream().filter(i -> i.ack() == null || i.ack().type() < 0).count();
        var r = new Result(bot, n, n - late, ack, late, complete, heap, rss, cpu);
        if (measure) System.out.println(r.line() + " (sent in " + sentMillis + " ms)");
        return r;
    }

    private static JDA bareBot(FakeDiscord fake) throws InterruptedException {
        JDA jda = JDABuilder.createLight(FakeDiscord.TOKEN, List.of())
                .setRestConfig(new RestConfig().setBaseUrl(fake.apiUrl()))
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return fake.gatewayUrl();
                    }
                })
                .setCompression(Compression.NONE)
                .setEnableShutdownHook(false)
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
                        event.deferReply().queue();
                        event.getHook().sendMessage("done").queue();
                    }
                })
                .build();
        jda.awaitReady();
        jda.updateCommands().addCommands(Commands.slash("imagine", "bare").addOption(OptionType.STRING, "prompt", "p", true))
                .complete();
        return jda;
    }

    /** The AIML API taking 2 s per generation (documented Imagen 3.0 answer shape), and the image behind its URL. */
    private static HttpServer slowGateway() throws Exception {
        byte[] png = TestImages.png(256, 256);
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2048);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        String base = "http://127.0.0.1:";
        s.createContext("/v1/images/generations", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                Thread.sleep(GATEWAY_LATENCY.toMillis());
                String body = "{\"data\":[{\"mime_type\":\"image/png\",\"url\":\"" + base + s.getAddress().getPort()
                        + "/files/a.png\",\"prompt\":\"an enhanced prompt\"}]}";
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.createContext("/files/", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "image/png");
                ex.sendResponseHeaders(200, png.length);
                ex.getResponseBody().write(png);
            }
        });
        s.start();
        return s;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static long heapAfterGcMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    private static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (Exception ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB max heap, Java "
                + System.getProperty("java.version") + ", " + Arrays.toString(new String[]{System.getProperty("os.name")});
    }
}
