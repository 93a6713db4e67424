package dev.pictor.provider;

import dev.pictor.core.Platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.ProviderSlots;
import dev.pictor.core.RouteBreakers;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.RetryPolicy;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.ImageFetcher;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The real GenerationService with in-memory quota and ledger, a recording delivery, and real providers. */
final class Pipeline {
    static final String KEY = "sk-test-0123456789abcdefSECRET";
    static final OkHttpClient HTTP = HttpClients.create();
    static final ProviderClient PROVIDERS = HttpClients.forProviders();
    /** Tiny backoffs: 2 attempts per route, Retry-After up to 200 ms is waited for. */
    static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(200));
    static final ModelCapabilities CAPS = new ModelCapabilities(List.of("1:1", "16:9", "9:16", "3:4", "4:3"), 4, true, 400, true);

    final MemoryQuota quota = MemoryQuota.unlimited();
    final MemoryLedger ledger = new MemoryLedger();
    final RecordingDelivery delivery = RecordingDelivery.acceptingAll();
    final ProviderSlots providers;
    private final GenerationService service;

    Pipeline(ImageFetcher fetcher, RetryPolicy retry) {
        this(fetcher, retry, new ProviderSlots(), Clock.systemUTC());
    }

    /** A pipeline over {@code providers} (with their route breakers) on {@code clock}. */
    Pipeline(ImageFetcher fetcher, RetryPolicy retry, ProviderSlots providers, Clock clock) {
        this.providers = providers;
        var ids = new AtomicInteger();
        service = TestPipeline.pipeline().quota(quota).ledger(ledger).providers(providers).fetcher(fetcher).retry(retry)
                .clock(clock).ids(() -> "job-" + ids.incrementAndGet()).build();
    }

    /** A pipeline whose routes have breakers on {@code clock}, and whose fetcher may reach the fakes. */
    static Pipeline withBreakers(BreakerPolicy policy, Clock clock) {
        return new Pipeline(new HttpImageFetcher(HTTP, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")), RETRY,
                new ProviderSlots(new RouteBreakers(policy, clock)), clock);
    }

    /** A pipeline whose fetcher may reach 127.0.0.1 (the fakes). */
    static Pipeline withLoopbackFetcher() {
        return new Pipeline(new HttpImageFetcher(HTTP, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")), RETRY);
    }

    Pipeline add(ProviderSettings settings) {
        providers.add(Providers.create(settings, PROVIDERS), settings.maxConcurrent());
        return this;
    }

    /** A provider keeping inline images of up to {@code maxImageBytes} ({@code fetch.max-bytes}). */
    Pipeline add(ProviderSettings settings, long maxImageBytes) {
        providers.add(Providers.create(settings, PROVIDERS, maxImageBytes), settings.maxConcurrent());
        return this;
    }

    JobOutcome run(ModelSpec model, String prompt, String aspect, int count, Long seed, boolean enhance) {
        return service.run(new ImagineRequest(Requester.of(Platform.CLI, "member-1"), prompt, model, aspect, count, seed, enhance),
                delivery);
    }

    static ModelSpec model(String id, Route... routes) {
        return new ModelSpec(id, id, CAPS, Arrays.asList(routes));
    }

    static ProviderSettings settings(String name, String dialect, String base, Map<String, Object> defaults) {
        return new ProviderSettings(name, dialect, base, KEY, Duration.ofSeconds(5), 8, null, defaults);
    }

    static Map<String, Object> jsonBody(RecordedRequest request) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new ObjectMapper().readValue(request.getBody().utf8(), Map.class);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
