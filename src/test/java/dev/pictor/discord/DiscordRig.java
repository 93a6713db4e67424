package dev.pictor.discord;

import dev.pictor.core.Gateways;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.port.JobLedger;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import okhttp3.OkHttpClient;
import dev.pictor.testing.MemoryLedger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * pictor's Discord adapter wired to the core and the real AIML API provider as the composition root would, against
 * a fake Discord and a fake AIML API (MockWebServer answering the documented body): one per test class (JDA
 * start-up is the slow part).
 */
final class DiscordRig implements AutoCloseable {
    static final ModelSpec IMAGEN = new ModelSpec("imagen-4", "Imagen 4",
            new ModelCapabilities(List.of("1:1", "16:9", "9:16", "3:4", "4:3"), 4, true, 400, true),
            List.of(new Route("aiml", "imagen-4.0-generate-001")));
    static final ModelSpec FLASH = new ModelSpec("gemini-flash-image", "Gemini 2.5 Flash Image",
            new ModelCapabilities(List.of("1:1"), 1, false, 400, false),
            List.of(new Route("aiml", "gemini-2.5-flash-image")));

    final FakeDiscord fake;
    final RecordingQuota quota = new RecordingQuota();
    final RecordingAdmin admin = new RecordingAdmin();
    final JobLedger ledger;
    final AimlApiFake gateway = new AimlApiFake();
    final OkHttpClient http = HttpClients.create();
    final ModelCatalog catalog = new ModelCatalog(List.of(IMAGEN, FLASH), "imagen-4");
    final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    final GenerationService generation;
    final DiscordBotSettings settings;
    volatile DiscordBot bot;

    private DiscordRig(FakeDiscord fake, JobLedger ledger, UnaryOperator<DiscordBotSettings> tweak) {
        this.fake = fake;
        this.ledger = ledger;
        var aiml = new ProviderSettings("aiml", "aimlapi", gateway.baseUrl(), "test-aiml-key", Duration.ofSeconds(10), 8,
                null, Map.of());
        this.generation = new GenerationService(quota, ledger, new Gateways().add(Providers.create(aiml, http), 8),
                new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")),
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO), Clock.systemUTC(), () -> UUID.randomUUID().toString(), jobs);
        this.settings = tweak.apply(DiscordBotSettings.of("test-bot", FakeDiscord.TOKEN)
                .withEndpoints(fake.apiUrl(), fake.gatewayUrl(), false)
                .withRolePlans(Map.of("Supporter", "supporter")));
    }

    static DiscordRig start(UnaryOperator<DiscordBotSettings> tweak) throws InterruptedException {
        var rig = new DiscordRig(FakeDiscord.start(), new MemoryLedger(), tweak);
        rig.bot = rig.newBot().start();
        rig.bot.awaitReady(Duration.ofSeconds(20));
        return rig;
    }

    static DiscordRig start() throws InterruptedException {
        return start(s -> s);
    }

    DiscordServices services() {
        return new DiscordServices(generation, new OptionParser(), new RequestValidator(catalog, List.of("forbidden")),
                catalog, quota, ledger, admin, Clock.systemUTC(), new SplittableRandom(7));
    }

    DiscordBot newBot() {
        return new DiscordBot(settings, services());
    }

    /** Stops the bot and starts a new one over the same ledger and quota, as a restarted process would. */
    void restartBot() throws InterruptedException {
        bot.close();
        fake.forgetCommands();
        bot = newBot().start();
        bot.awaitReady(Duration.ofSeconds(20));
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
        jobs.shutdown();
        fake.close();
        gateway.close();
        HttpClients.close(http);
    }
}
