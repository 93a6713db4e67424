package dev.pictor.telegram;

import dev.pictor.core.GenerationService;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.RouteBreakers;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.UpdateInbox;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SqliteState;
import dev.pictor.store.SqliteUpdateInbox;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.testing.AimlApiFake;
import dev.pictor.testing.MemoryInbox;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import okhttp3.OkHttpClient;

import dev.pictor.ops.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The real Telegram adapter wired to the real core and the real {@code aimlapi} provider, with a fake Bot API and a
 * fake AIML API provider (MockWebServer). Quota and ledger are either in memory ({@link MemoryQuota},
 * {@link MemoryLedger}) or the real SQLite ones in a temporary file ({@link #withSqlite}), where {@link #restart}
 * is a real restart: the database is closed and opened again, and a new service and adapter are built on it.
 * Two models: {@code imagen-4} (1–4 images, seeds, five aspects) and {@code flash} (one 1:1 image, no seed).
 * {@link #webhook()} makes the bot take its updates by webhook: each "process" then serves its webhook on its own
 * {@link OpsServer} (as {@code pictor run} does), and the fake Telegram's requests for {@link #WEBHOOK_URL} are
 * forwarded there, as a reverse proxy in front of pictor's HTTP port would.
 */
final class TelegramHarness implements AutoCloseable {
    static final long ADMIN_ID = 900;
    static final String PROFILE = "test";
    /** The bots' poll timeout here (the fake holds a poll that long): a bot counts as down once its last good poll is 4 s old. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(2);
    static final String WEBHOOK_URL = "https://bots.example.org/telegram/" + PROFILE;
    static final String WEBHOOK_SECRET = "s3cret-Webhook_token-never-shown";
    static final String WEBHOOK_PATH = "/telegram/" + PROFILE;

    final FakeTelegram telegram;
    final AimlApiFake provider = AimlApiFake.withInlineImages();
    final ModelCatalog catalog = new ModelCatalog(List.of(
            new ModelSpec("imagen-4", "Imagen 4", new ModelCapabilities(List.of("1:1", "16:9", "9:16", "4:3", "3:4"), 4, true, 400, true),
                    List.of(new Route("aiml", "imagen-4.0-generate-001", 0.04))),
            new ModelSpec("flash", "Flash", new ModelCapabilities(List.of("1:1"), 1, false, 400, false),
                    List.of(new Route("aiml", "google/gemini-2.5-flash-image")))), "imagen-4");
    /** The in-memory quota and ledger; null with SQLite. */
    final MemoryQuota quota;
    final MemoryLedger ledger;
    /** The in-memory update inbox (kept across restarts); null with SQLite. */
    final MemoryInbox inbox;
    private final String jdbcUrl;
    private final QuotaSettings quotaSettings;
    private final int gatewaySlots;
    private final OkHttpClient http = HttpClients.create();
    private final dev.pictor.provider.ProviderClient providerHttp = HttpClients.forProviders();
    private ExecutorService jobs;
    private SqliteState state;
    private boolean stateClosed;
    private GenerationService generation;
    /** Set before {@link #start}: the routes' circuit breakers (none: every route is always tried). */
    RouteBreakers breakers = RouteBreakers.none();
    /** Set before {@link #start}: the next bot runs its handlers there (once), e.g. one that never runs them. */
    ExecutorService handlers;
    /** Set before {@link #start}: what the bots record their updates in, around the harness's own inbox. */
    java.util.function.UnaryOperator<UpdateInbox> inboxAround = java.util.function.UnaryOperator.identity();
    private boolean webhook;
    /** The "process's" HTTP port, in webhook mode. */
    OpsServer ops;
    TelegramBot bot;
    private java.util.function.Supplier<java.util.concurrent.ExecutorService> jobExecutor;

    TelegramHarness(MemoryQuota quota, int gatewaySlots) throws IOException {
        this(quota, new MemoryLedger(), null, null, gatewaySlots);
    }

    TelegramHarness() throws IOException {
        this(MemoryQuota.unlimited(), 4);
    }

    /** Quota and ledger in SQLite in {@code dir}, with these plans and a community pool for the test profile. */
    static TelegramHarness withSqlite(Path dir, Map<String, List<String>> plans, String defaultPlan, List<String> pool)
            throws IOException {
        var settings = new QuotaSettings(plans, defaultPlan, Map.of(PROFILE, new QuotaSettings.ProfileQuota(pool, null)));
        return new TelegramHarness(null, null, "jdbc:sqlite:" + dir.resolve("pictor.db"), settings, 4);
    }

    private TelegramHarness(MemoryQuota quota, MemoryLedger ledger, String jdbcUrl, QuotaSettings quotaSettings,
                            int gatewaySlots) throws IOException {
        this.quota = quota;
        this.ledger = ledger;
        this.inbox = jdbcUrl == null ? new MemoryInbox() : null;
        this.jdbcUrl = jdbcUrl;
        this.quotaSettings = quotaSettings;
        this.gatewaySlots = gatewaySlots;
        this.telegram = new FakeTelegram();
    }

    /** Which language each member is answered in; null: theirs when shipped, else English. */
    dev.pictor.core.chat.LanguageChoice languages;
    /** Set before {@link #start} (SQLite only): the spend caps' settings; null: no caps, the catalog's prices. */
    dev.pictor.quota.SpendSettings spend;
    /** What the admins are told unasked (the spend warning), posted by the bot, on the job's own thread here. */
    dev.pictor.core.chat.AdminNotices notices = dev.pictor.core.chat.AdminNotices.NONE;

    TelegramBotSettings settings() {
        return new TelegramBotSettings(PROFILE, FakeTelegram.TOKEN, telegram.url(), Set.of(ADMIN_ID), null, POLL_TIMEOUT,
                webhook ? new TelegramBotSettings.Webhook(URI.create(WEBHOOK_URL), WEBHOOK_SECRET, WEBHOOK_PATH) : null);
    }

    /** Jobs run on what {@code executor} makes instead of a virtual thread each (call before {@link #start}). */
    TelegramHarness jobsOn(java.util.function.Supplier<java.util.concurrent.ExecutorService> executor) {
        jobExecutor = executor;
        return this;
    }

    /** The bots take their updates by webhook (call before {@link #start}). */
    TelegramHarness webhook() {
        webhook = true;
        return this;
    }

    /** Where the "process" receives the webhook (what the reverse proxy forwards to). */
    URI webhookTarget() {
        return URI.create("http://127.0.0.1:" + ops.port() + WEBHOOK_PATH);
    }

    /** The "process's" store (null in memory). */
    SqliteState state() {
        return state;
    }

    JobLedger ledgerPort() {
        return state != null ? state.ledger() : ledger;
    }

    QuotaPort quotaPort() {
        return state != null ? state.quota() : quota;
    }

    AdminPort adminPort() {
        return state != null ? state.quota() : null;
    }

    /**
     * The "process's" lease its inbox rows are held in: each start is another process (in production, another pid),
     * while the JVM's own {@code ProcessOwner} id stays the same.
     */
    private dev.pictor.store.Leases inboxLease;
    private int starts;

    UpdateInbox inboxPort() {
        return state != null ? new SqliteUpdateInbox(state.database(), Clock.systemUTC(), inboxLease) : inbox;
    }

    /** Starts a "process": quota and ledger, the generation service, and the adapter. */
    TelegramHarness start() {
        var told = new java.util.concurrent.atomic.AtomicReference<>(dev.pictor.core.chat.AdminNotices.NONE);
        if (jdbcUrl != null) {
            state = SqliteState.open(jdbcUrl, null, null, catalog, quotaSettings,
                    spend != null ? spend : new dev.pictor.quota.SpendSettings("USD", null, null, null,
                            dev.pictor.quota.SpendSettings.priced(catalog)),
                    w -> told.get().capPassed(w), Clock.systemUTC());
            stateClosed = false;
            inboxLease = new dev.pictor.store.Leases(state.database(), Clock.systemUTC(), "harness/" + ++starts + "/0/-");
            inboxLease.register();
        }
        jobs = jobExecutor != null ? jobExecutor.get() : Executors.newVirtualThreadPerTaskExecutor();
        var aiml = Providers.create(new ProviderSettings("aiml", "aimlapi", provider.baseUrl(), "test-aiml-key",
                Duration.ofSeconds(30), gatewaySlots, null, null), providerHttp);
        generation = TestPipeline.pipeline().quota(quotaPort()).ledger(ledgerPort())
                .spend(state != null ? state.spend() : dev.pictor.core.port.SpendPort.NONE)
                .providers(new ProviderSlots(breakers).add(aiml, gatewaySlots))
                .fetcher(new HttpImageFetcher(http)).retry(new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)))
                .executor(jobs).build();
        notices = state == null ? dev.pictor.core.chat.AdminNotices.NONE : new dev.pictor.core.chat.AdminNotices(
                new dev.pictor.store.AdminChatTable(state.database(), Clock.systemUTC()), languageChoice(), Runnable::run,
                generation::chatOf);
        told.set(notices);
        bot = newBot();
        if (state != null) notices.poster(dev.pictor.core.Platform.TELEGRAM, PROFILE, bot::post);
        if (webhook) {
            try {
                ops = new OpsServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ops.receive(WEBHOOK_PATH, bot.webhookHandler());
            telegram.forwardWebhooksTo(webhookTarget());
        }
        bot.start();
        return this;
    }

    /** The "process's" generation service, for tests that stop it (drain). */
    GenerationService generation() {
        return generation;
    }

    TelegramBot newBot() {
        var core = new dev.pictor.core.chat.ChatServices(generation, new OptionParser(),
                new RequestValidator(catalog, List.of("forbidden")), catalog, quotaPort(), ledgerPort(), adminPort(),
                inboxAround.apply(inboxPort()), null, null, languageChoice(),
                state != null ? new dev.pictor.store.StatsQuery(state.database(), Clock.systemUTC(), java.time.ZoneOffset.UTC, "USD") : null,
                notices);
        if (handlers == null) return new TelegramBot(settings(), core, http);
        var bot = new TelegramBot(settings(), core, http, handlers);
        handlers = null;
        return bot;
    }

    /** The languages: the test's, else with SQLite the communities' choices, else none (members' own or English). */
    private dev.pictor.core.chat.LanguageChoice languageChoice() {
        return languages != null ? languages
                : state != null ? new dev.pictor.core.chat.LanguageChoice(Map.of(), state.quota().languages()) : null;
    }

    /** Stops the "process" (adapter, jobs, database) and starts a new one on the same quota and ledger. */
    void restart() {
        stop();
        start();
    }

    /** Stops the "process" (adapter, jobs, database) without starting another; {@link #start} starts one. */
    void stop() {
        if (bot != null) bot.close();
        if (ops != null) {
            ops.close();
            ops = null;
        }
        if (jobs != null) {
            jobs.shutdown();
            try {
                jobs.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (state != null && !stateClosed) {
            inboxLease.leave();
            inboxLease = null;
            state.close();
            stateClosed = true; // a second stop (a test's own close, then the spec check's) has nothing left to close
        }
    }

    /** Waits (up to 10 s) until {@code count} jobs have reached a terminal state in the in-memory ledger. */
    void awaitJobsClosed(int count) {
        await(() -> ledger.closed.size(), count, "closed jobs");
    }

    static void await(IntSupplier value, int atLeast, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsInt() < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError("expected " + atLeast + " " + what + ", got " + value.getAsInt());
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        stop();
        telegram.close();
        provider.close();
        HttpClients.close(http);
        providerHttp.shutdownNow();
    }
}
