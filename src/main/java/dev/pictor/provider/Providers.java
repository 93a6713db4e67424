package dev.pictor.provider;

import dev.pictor.core.port.ImageProvider;
import dev.pictor.provider.aimlapi.AimlApiProvider;
import dev.pictor.provider.openai.OpenAiProvider;

import java.time.Clock;
import java.util.List;

/**
 * Makes the provider for a configured provider, in its dialect: {@code aimlapi} ({@link AimlApiProvider}) or
 * {@code openai} ({@link OpenAiProvider}: TheTurbo, Lumenfall, any OpenAI-compatible images endpoint).
 * Register the result with the core's {@code ProviderSlots.add(provider, settings.maxConcurrent())}.
 */
public final class Providers {
    /** The dialects pictor speaks. */
    public static final List<String> DIALECTS = List.of(AimlApiProvider.DIALECT, OpenAiProvider.DIALECT);

    private Providers() {
    }

    /**
     * The provider for {@code s}, calling through {@code http} ({@link HttpClients#forProviders()}, shared).
     *
     * @throws IllegalArgumentException for an unknown dialect, a missing API key, or a default the dialect does not
     *                                  accept; the message names the configuration key
     */
    public static ImageProvider create(ProviderSettings s, ProviderClient http) {
        return create(s, http, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /**
     * The provider for {@code s}, keeping inline images of up to {@code maxImageBytes} ({@code fetch.max-bytes}, the
     * cap downloads have too).
     *
     * @throws IllegalArgumentException as {@link #create(ProviderSettings, ProviderClient)}
     */
    public static ImageProvider create(ProviderSettings s, ProviderClient http, long maxImageBytes) {
        return switch (s.dialect()) {
            case AimlApiProvider.DIALECT -> new AimlApiProvider(s, http, Clock.systemUTC(), maxImageBytes);
            case OpenAiProvider.DIALECT -> new OpenAiProvider(s, http, Clock.systemUTC(), maxImageBytes);
            default -> throw unknownDialect(s);
        };
    }

    /**
     * Checks what {@link #create} would check except the key (for {@code pictor check}, which also runs without
     * keys): the dialect is known and its defaults are valid.
     */
    /**
     * A request of the provider's dialect that checks the key and costs nothing, relative to its base URL: AI/ML API's
     * balance ({@code GET /v1/billing/balance}), an OpenAI-compatible provider's model list ({@code GET /v1/models}).
     */
    public static String freeProbePath(String dialect) {
        return switch (dialect) {
            case AimlApiProvider.DIALECT -> "/v1/billing/balance";
            case OpenAiProvider.DIALECT -> "/v1/models";
            default -> throw new IllegalArgumentException("unknown dialect " + dialect);
        };
    }

    public static void validate(ProviderSettings s) {
        switch (s.dialect()) {
            case AimlApiProvider.DIALECT -> AimlApiProvider.checkDefaults(s);
            case OpenAiProvider.DIALECT -> OpenAiProvider.checkDefaults(s);
            default -> throw unknownDialect(s);
        }
    }

    private static IllegalArgumentException unknownDialect(ProviderSettings s) {
        return new IllegalArgumentException(s.keyPath("dialect") + ": unknown dialect '" + s.dialect()
                + "' (known: " + String.join(", ", DIALECTS) + ")");
    }
}
