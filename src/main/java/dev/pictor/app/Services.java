package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.config.LoadedConfig;
import dev.pictor.config.PictorConfig;
import dev.pictor.config.ProviderConfig;
import dev.pictor.config.QuotaLimit;
import dev.pictor.core.Gateways;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.ops.Secrets;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.Providers;
import dev.pictor.store.memory.FixedAllowanceQuota;
import dev.pictor.store.memory.MemoryJobLedger;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The running service every adapter shares, built from a checked configuration: the catalog, the option parser and
 * the validator, one gateway per enabled provider (behind its concurrency limit), the image fetcher, the quota and
 * the job ledger, and the generation pipeline on virtual threads.
 *
 * <p>Quota and ledger are, for now, the in-memory stand-ins of {@code dev.pictor.store.memory}: they last as long
 * as the process.
 */
public final class Services implements AutoCloseable {
    private final PictorConfig config;
    private final ModelCatalog catalog;
    private final OptionParser parser = new OptionParser();
    private final RequestValidator validator;
    private final Gateways gateways = new Gateways();
    private final QuotaPort quota;
    private final JobLedger ledger;
    private final OkHttpClient http;
    private final ExecutorService executor;
    private final GenerationService generation;

    private Services(LoadedConfig loaded, Clock clock) {
        this.config = loaded.config();
        rememberSecrets(loaded);
        this.catalog = config.catalog();
        this.validator = new RequestValidator(catalog, config.bannedTerms());
        this.http = HttpClients.create();
        config.enabledProviders().forEach((name, p) -> gateways.add(Providers.create(p.toSettings(name), http), p.maxConcurrent()));
        var fetcher = new HttpImageFetcher(http, config.fetch().maxBytes(), config.fetch().allowPrivate());
        this.quota = defaultPlanQuota(config);
        this.ledger = new MemoryJobLedger();
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
        this.generation = new GenerationService(quota, ledger, gateways, fetcher, config.retry().toPolicy(), clock,
                new JobIds(clock), executor);
    }

    public static Services start(LoadedConfig loaded) {
        return start(loaded, Clock.systemUTC());
    }

    public static Services start(LoadedConfig loaded, Clock clock) {
        return new Services(loaded, clock);
    }

    /** Every key and token, so that the log redactor masks them wherever they would appear. */
    private static void rememberSecrets(LoadedConfig loaded) {
        loaded.config().providers().values().stream().map(ProviderConfig::apiKey).forEach(Secrets::register);
        loaded.bots().stream().map(BotProfile::token).forEach(Secrets::register);
    }

    private static QuotaPort defaultPlanQuota(PictorConfig config) {
        var capacities = new LinkedHashMap<String, Long>();
        List<QuotaLimit> limits = config.quota().defaultLimits();
        limits.forEach(l -> capacities.merge(l.toString(), l.images(), Math::min));
        return new FixedAllowanceQuota(config.quota().defaultPlan(), capacities);
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

    public Gateways gateways() {
        return gateways;
    }

    public QuotaPort quota() {
        return quota;
    }

    public JobLedger ledger() {
        return ledger;
    }

    public GenerationService generation() {
        return generation;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        HttpClients.close(http);
    }
}
