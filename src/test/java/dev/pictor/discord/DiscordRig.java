package dev.pictor.discord;

import dev.pictor.core.chat.ChatServices;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.JobLedger;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SqliteState;
import dev.pictor.testing.AimlApiFake;
import okhttp3.OkHttpClient;
import dev.pictor.testing.MemoryLedger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * pictor's Discord adapter wired to the core and the real AIML API provider as the composition root would, against
 * a fake Discord and a fake AIML API (MockWebServer answering the documented body): one per test class (JDA
 * start-up is the slow part).
 */
final class DiscordRig implements AutoCloseable {
    /**
     * How long a (re)started bot may take to get READY from the fake gateway: seconds normally; once, on a machine
     * running several builds, a restart took 20 s, so the bound is generous (a bound, not a measurement).
     */
    static final Duration READY_WITHIN = Duration.ofSeconds(60);

    static final ModelSpec IMAGEN = new ModelSpec("imagen-4", "Imagen 4",
            new ModelCapabilities(List.of("1:1", "16:9", "9:16", "3:4", "4:3"), 4, true, 400, true),
            List.of(new Route("aiml", "imagen-4.0-generate-001")));
    static final ModelSpec FLASH = new ModelSpec("gemini-flash-image", "Gemini 2.5 Flash Image",
            new ModelCapabilities(List.of("1:1"), 1, false, 400, false),
            List.of(new Route("aiml", "gemini-2.5-flash-image")));

    final FakeDiscord fake;
    final RecordingQuota quota = new RecordingQuota();
    final RecordingAdmin admin = new RecordingAdmin();
    /** Where the ledger lives when it is SQLite (a file that outlives a restart), else null. */
    private final String sqliteUrl;
    private volatile SqliteState state;
    volatile JobLedger ledger;
    /** The jobs the SQLite ledger repaired when it was (re)opened. */
    volatile List<dev.pictor.core.port.JobView> interrupted = List.of();
    final AimlApiFake gateway = AimlApiFake.withImageUrls();
    final OkHttpClient http = HttpClients.create();
    final dev.pictor.provider.ProviderClient providerHttp = HttpClients.forProviders();
    final ModelCatalog catalog = new ModelCatalog(List.of(IMAGEN, FLASH), "imagen-4");
    final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    volatile GenerationService generation;
    final DiscordBotSettings settings;
    volatile DiscordBot bot;
    /** Which language each member is answered in; null: theirs when shipped, else English. */
    volatile dev.pictor.core.chat.LanguageChoice languages;

    private DiscordRig(FakeDiscord fake, String sqliteUrl, UnaryOperator<DiscordBotSettings> tweak) {
        this.fake = fake;
        this.sqliteUrl = sqliteUrl;
        openLedger();
        this.settings = tweak.apply(DiscordBotSettings.of("test-bot", FakeDiscord.TOKEN)
                .withEndpoints(fake.apiUrl(), fake.gatewayUrl(), false)
                .withRolePlans(Map.of("Supporter", "supporter")));
    }

    static DiscordRig start(UnaryOperator<DiscordBotSettings> tweak) throws InterruptedException {
        return started(new DiscordRig(FakeDiscord.start(), null, tweak));
    }

    /** A rig whose job ledger is pictor's SQLite ledger in {@code dir} (the quota stays in memory). */
    static DiscordRig startWithSqliteLedger(Path dir) throws InterruptedException {
        return startWithSqliteLedger(dir, s -> s);
    }

    /** {@link #startWithSqliteLedger(Path)} with the settings tweaked; its {@code /pictor stats} reads that ledger. */
    static DiscordRig startWithSqliteLedger(Path dir, UnaryOperator<DiscordBotSettings> tweak) throws InterruptedException {
        return started(new DiscordRig(FakeDiscord.start(), "jdbc:sqlite:" + dir.resolve("pictor.db"), tweak));
    }

    private static DiscordRig started(DiscordRig rig) throws InterruptedException {
        rig.bot = rig.newBot().start();
        rig.bot.awaitReady(READY_WITHIN);
        return rig;
    }

    /** The ledger (in memory, or SQLite reopened from its file) and the pipeline that writes it. */
    private void openLedger() {
        if (sqliteUrl == null) {
            ledger = new MemoryLedger();
        } else {
            state = SqliteState.open(sqliteUrl, catalog, QuotaSettings.of(Map.of("free", List.of("100/1d")), "free"),
                    Clock.systemUTC());
            interrupted = state.repairInterrupted();
            ledger = state.ledger();
        }
        var aiml = new ProviderSettings("aiml", "aimlapi", gateway.baseUrl(), "test-aiml-key", Duration.ofSeconds(10), 8,
                null, Map.of());
        generation = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(Providers.create(aiml, providerHttp), 8)
                .fetcher(new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")))
                .executor(jobs).build();
    }

    /** A rig whose bot answers members whose language pictor does not ship as {@code languages} says. */
    static DiscordRig start(dev.pictor.core.chat.LanguageChoice languages) throws InterruptedException {
        var rig = new DiscordRig(FakeDiscord.start(), null, s -> s);
        rig.languages = languages;
        return started(rig);
    }

    static DiscordRig start() throws InterruptedException {
        return start(s -> s);
    }

    /** A rig on {@code fake} whose bot is not started: a test builds its bots with {@link #services()}. */
    static DiscordRig idle(FakeDiscord fake, UnaryOperator<DiscordBotSettings> tweak) {
        return new DiscordRig(fake, null, tweak);
    }

    ChatServices services() {
        return new ChatServices(generation, new OptionParser(), new RequestValidator(catalog, List.of("forbidden")),
                catalog, quota, ledger, admin, null, Clock.systemUTC(), new SplittableRandom(7), languages,
                state == null ? null : new dev.pictor.store.StatsQuery(state.database(), Clock.systemUTC(), java.time.ZoneOffset.UTC, "USD"));
    }

    DiscordBot newBot() {
        return new DiscordBot(settings, services());
    }

    /**
     * Stops the bot and starts a new one, as a restarted process would: with a SQLite ledger, the database is closed
     * and opened again from its file; in memory, the new bot gets the same ledger object.
     */
    void restartBot() throws InterruptedException {
        bot.close();
        if (state != null) {
            state.close();
            openLedger();
        }
        fake.forgetCommands();
        bot = newBot().start();
        bot.tellInterrupted(interrupted); // as the composition root does at start
        bot.awaitReady(READY_WITHIN);
    }

    /** The job behind a result (from its buttons), once the core has recorded how it ended. */
    dev.pictor.core.port.JobView awaitClosed(dev.pictor.discord.fake.FakeMessage result) {
        String jobId = result.buttonIds().getFirst().replaceFirst("^pictor:[a-z]+:", "");
        return fake.await(() -> ledger.find(jobId).filter(j -> j.finishedAt() != null).orElse(null),
                "the ledger to close job " + jobId);
    }

    /** Puts the scripted gateway and the quota back to "everything works". */
    void reset() {
        gateway.reset();
        quota.use(dev.pictor.testing.MemoryQuota.unlimited());
        admin.operations.clear();
    }

    @Override
    public void close() {
        if (bot != null) bot.close();
        if (state != null) state.close();
        jobs.shutdown();
        fake.close();
        gateway.close();
        HttpClients.close(http);
        providerHttp.shutdownNow();
    }
}
