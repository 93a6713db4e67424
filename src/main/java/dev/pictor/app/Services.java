package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.config.LoadedConfig;
import dev.pictor.config.PictorConfig;
import dev.pictor.config.ProviderConfig;
import dev.pictor.core.LimitSpec;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.port.ProviderRates;
import dev.pictor.quota.ProviderRateBuckets;
import dev.pictor.store.IdentifySlots;
import dev.pictor.core.RouteBreakers;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ImageMemory;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Sleeper;
import dev.pictor.core.chat.AdminNotices;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.store.AdminChatTable;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.UpdateInbox;
import dev.pictor.ops.BuildInfo;
import dev.pictor.ops.JobMetrics;
import dev.pictor.quota.SpendCaps;
import io.micrometer.core.instrument.Counter;
import dev.pictor.ops.RouteHealth;
import dev.pictor.ops.OpsMetrics;
import dev.pictor.ops.Secrets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.Providers;
import dev.pictor.quota.SqliteState;
import dev.pictor.store.StorageHealth;
import dev.pictor.store.SqliteUpdateInbox;
import okhttp3.OkHttpClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;

/**
 * The running service every adapter shares, built from a checked configuration: the catalog, the option parser and
 * the validator, one provider per enabled provider (behind its concurrency limit), the image fetcher, the quota and
 * the job ledger, and the generation pipeline on virtual threads.
 *
 * <p>Quota, ledger and the Telegram update inbox live in the database ({@code storage.url}: an SQLite file, or
 * PostgreSQL shared by several processes); each process holds a lease there, and jobs a stopped process left open are
 * repaired at start and, once its lease has expired, by one of the processes still running.
 */
public final class Services implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);
    private final PictorConfig config;
    private final ModelCatalog catalog;
    private final OptionParser parser = new OptionParser();
    private final RequestValidator validator;
    private final ProviderSlots providers;
    private final RouteHealth routeHealth;
    private final QuotaPort quota;
    private final SpendCaps spend;
    private final JobLedger ledger;
    private final SqliteState state;
    private final UpdateInbox inbox;
    private final List<JobView> interrupted;
    private final LanguageChoice languages;
    private final OkHttpClient http;
    /** The providers' generation calls (non-blocking: see {@link HttpClients#forProviders()}). */
    private final dev.pictor.provider.ProviderClient providerHttp;
    private final ExecutorService executor;
    private final GenerationService generation;
    private final ScheduledExecutorService housekeeping;
    /** Renews the lease only, so that long housekeeping (a repair) never delays a renewal past the lease. */
    private final ScheduledExecutorService leaseRenewal;
    private final OpsMetrics metrics = new OpsMetrics(BuildInfo.current());
    private final IdentifySlots identifySlots;
    private final dev.pictor.core.port.StatsPort stats;
    private final AdminNotices notices;

    private final List<Consumer<List<JobView>>> repairListeners = new CopyOnWriteArrayList<>();

    private Services(LoadedConfig loaded, Clock clock, boolean owner) {
        this.config = loaded.config();
        rememberSecrets(loaded);
        this.catalog = config.catalog();
        this.validator = new RequestValidator(catalog, config.bannedTerms());
        // the HTTP client (its TLS set-up reads the trust store: ~0.1 s cold) is made beside the store's opening
        var httpClient = new java.util.concurrent.FutureTask<>(HttpClients::create);
        Thread.ofPlatform().name("http-client-start").start(httpClient);
        this.providerHttp = HttpClients.forProviders();
        // the spend caps tell the admins through the notices, which need the pipeline built on the caps: set below
        var told = new java.util.concurrent.atomic.AtomicReference<AdminNotices>(AdminNotices.NONE);
        try {
            var storage = config.storage();
            Counter capWarnings = Counter.builder("pictor.spend.cap.warnings")
                    .description("Communities that passed 80 % of their daily spend cap (once per community per day)")
                    .register(metrics.registry());
            this.state = SqliteState.open(storage.url(), storage.user(), storage.password(), catalog,
                    QuotaWiring.settings(config, loaded.bots()), QuotaWiring.spend(config, loaded.bots()),
                    warning -> {
                        capWarnings.increment();
                        told.get().capPassed(warning);
                    }, clock);
        } catch (RuntimeException e) {
            try {
                HttpClients.close(made(httpClient));
            } catch (RuntimeException | Error alsoFailed) {
                e.addSuppressed(alsoFailed); // the store's failure is the one that decides the exit code
            }
            providerHttp.shutdownNow();
            metrics.close();
            throw e;
        }
        this.http = made(httpClient);
        this.identifySlots = new IdentifySlots(state.database(), clock, IDENTIFY_WINDOW);
        // a provider's rate is counted for every process on the database; its max-concurrent in this one
        var rates = new LinkedHashMap<String, LimitSpec>();
        config.enabledProviders().forEach((name, p) -> {
            if (p.rate() != null) rates.put(name, p.rate().spec());
        });
        this.providers = new ProviderSlots(new RouteBreakers(config.routing().breaker().toPolicy(), clock),
                rates.isEmpty() ? ProviderRates.NONE : new ProviderRateBuckets(state.database(), clock, rates));
        config.enabledProviders().forEach((name, p) -> providers.add(
                Providers.create(p.toSettings(name), providerHttp, config.fetch().maxBytes()), p.maxConcurrent(), p.rateWait()));
        // every route through an enabled provider has its breaker (and its gauges) from the start
        providers.breakers().register(catalog.all().stream().flatMap(m -> m.routes().stream())
                .filter(r -> providers.names().contains(r.provider())).toList());
        this.routeHealth = new RouteHealth(providers.breakers(), metrics.registry());
        var fetcher = new HttpImageFetcher(http, config.fetch().maxBytes(), config.fetch().allowPrivate());
        this.interrupted = owner ? state.repairInterrupted() : List.of();
        state.quota().purgeIdle();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("housekeeping").factory());
        state.startHousekeeping(housekeeping);
        state.startWatching(housekeeping);
        this.leaseRenewal = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lease-renewal").factory());
        state.startLease(leaseRenewal);
        if (owner) {
            housekeeping.scheduleWithFixedDelay(this::repairStale, REPAIR_EVERY.toMillis(), REPAIR_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        this.quota = state.quota();
        this.ledger = state.ledger();
        this.inbox = new SqliteUpdateInbox(state.database(), clock, state.ledger().leases());
        this.languages = languages(loaded.bots(), state.quota().languages());
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
        this.spend = state.spend();
        this.stats = new dev.pictor.store.StatsQuery(state.database(), clock, config.spendCaps().zone(), config.currency());
        this.generation = new GenerationService(quota, spend, ledger, providers, fetcher, config.retry().toPolicy(), Sleeper.REAL,
                clock, new JobIds(clock), executor, new JobMetrics(metrics.registry(), config.currency()), ImageMemory.forHeap());
        this.notices = new AdminNotices(new AdminChatTable(state.database(), clock), languages, executor, generation::chatOf);
        told.set(notices);
    }

    /** The client {@code task} made (on its own thread); its failure is rethrown as it was. */
    private static OkHttpClient made(java.util.concurrent.FutureTask<OkHttpClient> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the HTTP client was made", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Each profile's {@code language} (those that set one), over the languages communities' admins chose. */
    static LanguageChoice languages(List<BotProfile> bots, CommunityLanguages communities) {
        var defaults = new java.util.HashMap<String, java.util.Locale>();
        for (BotProfile b : bots) if (b.language() != null) defaults.put(b.name(), b.defaultLanguage());
        return new LanguageChoice(defaults, communities);
    }

    /**
     * How often a running service looks for jobs a stopped process left open (see {@link #onRepaired}): with a lease
     * lasting {@link dev.pictor.store.Leases#TTL}, a dead process's jobs are repaired within TTL + {@link dev.pictor.store.Leases#GRACE} + this (30 s).
     */
    static final Duration REPAIR_EVERY = Duration.ofSeconds(10);

    /** Discord allows one IDENTIFY per bucket of a bot every 5 s. */
    static final Duration IDENTIFY_WINDOW = Duration.ofSeconds(5);

    /**
     * The services of {@code pictor run}: it holds a lease on the database, repairs the jobs a stopped process left
     * open, at start and every {@link #REPAIR_EVERY}, and tells the bots so that they can tell the members.
     */
    public static Services start(LoadedConfig loaded) {
        return start(loaded, Clock.systemUTC());
    }

    public static Services start(LoadedConfig loaded, Clock clock) {
        return new Services(loaded, clock, true);
    }

    /**
     * {@link #start(LoadedConfig)} on a thread of its own, so that the caller can log the bots in meanwhile (issue
     * #15: the database's opening and the Discord logins take about as long, one after the other). The secrets are
     * registered with the log redactor before this returns, so that nothing logged beside it can show one.
     */
    public static java.util.concurrent.CompletableFuture<Services> opening(LoadedConfig loaded) {
        rememberSecrets(loaded);
        var services = new java.util.concurrent.CompletableFuture<Services>();
        Thread.ofPlatform().name("services-start").start(() -> {
            try {
                services.complete(start(loaded));
            } catch (Throwable e) {
                services.completeExceptionally(e);
            }
        });
        return services;
    }

    /**
     * The services of a terminal command ({@code pictor imagine}): the same quota, ledger and providers, but it
     * leaves other processes' open jobs alone, so that {@code run}, which can tell their members, repairs them.
     */
    public static Services forTerminal(LoadedConfig loaded) {
        return new Services(loaded, Clock.systemUTC(), false);
    }

    /**
     * Hears about jobs repaired while running (those of a process whose lease expired, which this process claimed, or
     * that stopped over an hour ago): each repaired job is told to the listeners of the one process that repaired it.
     */
    public void onRepaired(Consumer<List<JobView>> listener) {
        repairListeners.add(listener);
    }

    void repairStale() {
        try {
            List<JobView> repaired = state.repairInterrupted();
            if (repaired.isEmpty()) return;
            log.warn("repaired {} job(s) a stopped process left open; what they had not delivered was given back", repaired.size());
            repairListeners.forEach(l -> l.accept(repaired));
        } catch (RuntimeException e) {
            log.warn("job repair failed: {}", e.toString());
        }
    }

    /** Every key and token, so that the log redactor masks them wherever they would appear. */
    private static void rememberSecrets(LoadedConfig loaded) {
        loaded.config().providers().values().stream().map(ProviderConfig::apiKey).forEach(Secrets::register);
        loaded.bots().stream().map(BotProfile::token).forEach(Secrets::register);
        var storage = loaded.config().storage();
        if (storage.password() != null) Secrets.register(storage.password());
        if (storage.passwordInUrl() != null) Secrets.register(storage.passwordInUrl());
    }

    public PictorConfig config() {
        return config;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public OptionParser parser() {
        return parser;
    }

    public RequestValidator validator() {
        return validator;
    }

    public ProviderSlots providers() {
        return providers;
    }

    /** The routes' circuit breakers for {@code /healthz} ({@code routes}) and {@code /metrics}. */
    public RouteHealth routeHealth() {
        return routeHealth;
    }

    public QuotaPort quota() {
        return quota;
    }

    /** The daily spend caps. */
    public SpendCaps spend() {
        return spend;
    }

    public JobLedger ledger() {
        return ledger;
    }

    /** Where the Telegram bots record the updates they received before confirming them (see {@link UpdateInbox}). */
    /** What each chat bot is handed (the Discord and the Telegram bots alike). */
    /** Discord's IDENTIFY slots in the database, one per bucket of each bot, 5 s apart across processes. */
    public IdentifySlots identifySlots() {
        return identifySlots;
    }

    public dev.pictor.core.chat.ChatServices chatServices() {
        return new dev.pictor.core.chat.ChatServices(generation(), parser(), validator(), catalog(), quota(), ledger(),
                admin(), inbox(), Clock.systemUTC(), null, languages, stats, notices);
    }

    /**
     * Where the admins' commands are recorded and what they are told unasked (the spend warning); each running bot
     * posts through it ({@link AdminNotices#poster}).
     */
    public AdminNotices notices() {
        return notices;
    }

    public UpdateInbox inbox() {
        return inbox;
    }

    public GenerationService generation() {
        return generation;
    }

    /** The HTTP client the service shares (providers, downloads, and the bots). */
    public OkHttpClient http() {
        return http;
    }

    /**
     * The Prometheus registry behind {@code /metrics}: the pipeline's job metrics, JVM and process metrics, the
     * build's info, and anything adapters add (see {@link OpsMetrics}).
     */
    public PrometheusMeterRegistry metrics() {
        return metrics.registry();
    }

    /**
     * Whether the database takes writes and is still the file opened at start, with the reason when not, for
     * {@code /healthz}: answered within about a second (see {@link StorageHealth}).
     */
    public StorageHealth.Status storage() {
        return state.health();
    }

    public boolean storageUp() {
        return storage().up();
    }

    /** The jobs a stopped process left open, closed at this start with what had not been posted refunded (tell their members). */
    public List<JobView> interrupted() {
        return interrupted;
    }

    /** The quota's admin operations (set plan, grant, reset, block, pools), for the adapters' admin commands. */
    public AdminPort admin() {
        return state.quota();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        leaseRenewal.shutdownNow();
        executor.shutdownNow();
        HttpClients.close(http);
        providerHttp.shutdownNow();
        state.close();
        metrics.close();
    }
}
