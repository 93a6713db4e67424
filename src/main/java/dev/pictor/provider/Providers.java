package dev.pictor.provider;

import dev.pictor.core.port.ImageGateway;
import dev.pictor.provider.aimlapi.AimlApiGateway;
import dev.pictor.provider.openai.OpenAiGateway;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.List;

/**
 * Makes the gateway for a configured provider, in its dialect: {@code aimlapi} ({@link AimlApiGateway}) or
 * {@code openai} ({@link OpenAiGateway}: TheTurbo, Lumenfall, any OpenAI-compatible images endpoint).
 * Register the result with the core's {@code Gateways.add(gateway, settings.maxConcurrent())}.
 */
public final class Providers {
    /** The dialects pictor speaks. */
    public static final List<String> DIALECTS = List.of(AimlApiGateway.DIALECT, OpenAiGateway.DIALECT);

    private Providers() {
    }

    /**
     * The gateway for {@code s}, sharing {@code http}'s pool and dispatcher.
     *
     * @throws IllegalArgumentException for an unknown dialect, a missing API key, or a default the dialect does not
     *                                  accept; the message names the configuration key
     */
    public static ImageGateway create(ProviderSettings s, OkHttpClient http) {
        return create(s, http, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /**
     * The gateway for {@code s}, keeping inline images of up to {@code maxImageBytes} ({@code fetch.max-bytes}, the
     * cap downloads have too).
     *
     * @throws IllegalArgumentException as {@link #create(ProviderSettings, OkHttpClient)}
     */
    public static ImageGateway create(ProviderSettings s, OkHttpClient http, long maxImageBytes) {
        return switch (s.dialect()) {
            case AimlApiGateway.DIALECT -> new AimlApiGateway(s, http, Clock.systemUTC(), maxImageBytes);
            case OpenAiGateway.DIALECT -> new OpenAiGateway(s, http, Clock.systemUTC(), maxImageBytes);
            default -> throw unknownDialect(s);
        };
    }

    /**
     * Checks what {@link #create} would check except the key (for {@code pictor check}, which also runs without
     * keys): the dialect is known and its defaults are valid.
     */
    /**
     * A request of the gateway's dialect that checks the key and costs nothing, relative to its base URL: AI/ML API's
     * balance ({@code GET /v1/billing/balance}), an OpenAI-compatible gateway's model list ({@code GET /v1/models}).
     */
    public static String freeProbePath(String dialect) {
        return switch (dialect) {
            case AimlApiGateway.DIALECT -> "/v1/billing/balance";
            case OpenAiGateway.DIALECT -> "/v1/models";
            default -> throw new IllegalArgumentException("unknown dialect " + dialect);
        };
    }

    public static void validate(ProviderSettings s) {
        switch (s.dialect()) {
            case AimlApiGateway.DIALECT -> AimlApiGateway.checkDefaults(s);
            case OpenAiGateway.DIALECT -> OpenAiGateway.checkDefaults(s);
            default -> throw unknownDialect(s);
        }
    }

    private static IllegalArgumentException unknownDialect(ProviderSettings s) {
        return new IllegalArgumentException(s.keyPath("dialect") + ": unknown dialect '" + s.dialect()
                + "' (known: " + String.join(", ", DIALECTS) + ")");
    }
}
