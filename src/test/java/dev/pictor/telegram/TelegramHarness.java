package dev.pictor.telegram;

import dev.pictor.core.GenerationService;
import dev.pictor.core.Gateways;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The real Telegram adapter wired to the real core and the real {@code aimlapi} provider, with a fake Bot API, a
 * fake AIML API gateway (MockWebServer) and in-memory quota and ledger. Two models: {@code imagen-4} (1–4 images, seeds, five aspects) and {@code flash} (one 1:1 image, no seed).
 */
final class TelegramHarness implements AutoCloseable {
    static final long ADMIN_ID = 900;

    final FakeTelegram telegram;
    final FakeGateway gateway = new FakeGateway();
    final MemoryLedger ledger = new MemoryLedger();
    final MemoryQuota quota;
    final ModelCatalog catalog = new ModelCatalog(List.of(
            new ModelSpec("imagen-4", "Imagen 4", new ModelCapabilities(List.of("1:1", "16:9", "9:16", "4:3", "3:4"), 4, true, 400, true),
                    List.of(new Route("aiml", "imagen-4.0-generate-001"))),
            new ModelSpec("flash", "Flash", new ModelCapabilities(List.of("1:1"), 1, false, 400, false),
                    List.of(new Route("aiml", "google/gemini-2.5-flash-image")))), "imagen-4");
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private final OkHttpClient http = HttpClients.create();
    private final GenerationService generation;
    TelegramBot bot;

    TelegramHarness(MemoryQuota quota, int gatewaySlots) throws IOException {
        this.quota = quota;
        this.telegram = new FakeTelegram();
        var aiml = Providers.create(new ProviderSettings("aiml", "aimlapi", gateway.baseUrl(), "test-aiml-key",
                Duration.ofSeconds(30), gatewaySlots, null, null), http);
        var gateways = new Gateways().add(aiml, gatewaySlots);
        this.generation = new GenerationService(quota, ledger, gateways, new HttpImageFetcher(http), new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)), Clock.systemUTC(),
                () -> UUID.randomUUID().toString(), jobs);
    }

    TelegramHarness() throws IOException {
        this(MemoryQuota.unlimited(), 4);
    }

    TelegramBotSettings settings() {
        return new TelegramBotSettings("test", FakeTelegram.TOKEN, telegram.url(), Set.of(ADMIN_ID), null);
    }

    TelegramBot newBot() {
        return new TelegramBot(settings(), new TelegramBot.Core(new OptionParser(), new RequestValidator(catalog, List.of("forbidden")),
                catalog, generation, quota, ledger), http);
    }

    TelegramHarness start() {
        bot = newBot();
        bot.start();
        return this;
    }

    /** Stops the bot and starts a fresh adapter over the same ledger and quota, as after a restart. */
    void restart() {
        bot.close();
        start();
    }

    /** Waits (up to 10 s) until {@code count} jobs have reached a terminal state in the ledger. */
    void awaitJobsClosed(int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (ledger.closed.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " closed jobs, got " + ledger.closed.size());
            }
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
        if (bot != null) bot.close();
        jobs.shutdownNow();
        telegram.close();
        gateway.close();
        HttpClients.close(http);
    }
}
