package dev.pictor.provider;

import okhttp3.HttpUrl;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One configured provider ({@code providers.<name>} in the configuration): how to reach it and what to send it.
 *
 * <p><b>Base URL.</b> {@code baseUrl} is the provider's base without the endpoint path. The generation endpoint is
 * the base with {@code /v1/images/generations} appended, or only {@code /images/generations} when the base already
 * ends in {@code /v1} (the form OpenAI SDKs take). So all of these work:
 * <ul>
 *   <li>{@code https://api.aimlapi.com} → {@code https://api.aimlapi.com/v1/images/generations}</li>
 *   <li>{@code https://gateway.theturbo.ai} → {@code https://gateway.theturbo.ai/v1/images/generations}</li>
 *   <li>{@code https://api.lumenfall.ai/openai} (or {@code …/openai/v1}) →
 *       {@code https://api.lumenfall.ai/openai/v1/images/generations}</li>
 * </ul>
 * A trailing slash is ignored; a query or fragment is refused.
 *
 * @param name           the provider's name in the configuration; routes name it
 * @param dialect        {@code aimlapi} or {@code openai} (see {@link Providers#DIALECTS})
 * @param baseUrl        http(s) base of the provider, as above
 * @param apiKey         the Bearer key; may be null or blank here (a provider without a key is not started), but
 *                       {@link Providers#create} needs one. Never shown by {@link #toString()}.
 * @param timeout        the longest one generation call may take, connect to last byte; null → {@link #DEFAULT_TIMEOUT}
 * @param maxConcurrent  how many calls may be in flight at once on this provider (enforced by the core's ProviderSlots)
 * @param pricePerImage  what one image costs in the configured currency, for the spend when the provider reports
 *                       none; null when unknown
 * @param creditPrice    what one unit of the spend the provider reports (AI/ML API's credits) costs in the configured
 *                       currency; null when there is no conversion
 * @param defaults       extra body fields laid under every request, checked by the dialect (see the dialect
 *                       classes for the accepted keys); null → none
 */
public record ProviderSettings(String name, String dialect, String baseUrl, String apiKey, Duration timeout,
                               int maxConcurrent, Double pricePerImage, Double creditPrice, Map<String, Object> defaults) {
    /** Imagen answers in 5–30 s; a call that has not finished in two minutes is not coming back. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    public static final String ENDPOINT = "v1/images/generations";

    public ProviderSettings {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("providers: a provider has no name");
        String key = "providers." + name + ".";
        if (dialect == null || dialect.isBlank()) {
            throw new IllegalArgumentException(key + "dialect is missing (one of " + String.join(", ", Providers.DIALECTS) + ")");
        }
        dialect = dialect.trim().toLowerCase(Locale.ROOT);
        if (baseUrl == null || baseUrl.isBlank()) throw new IllegalArgumentException(key + "base-url is missing");
        HttpUrl parsed = HttpUrl.parse(baseUrl.trim());
        if (parsed == null) {
            throw new IllegalArgumentException(key + "base-url is not an http or https URL: " + baseUrl);
        }
        if (parsed.query() != null || parsed.fragment() != null) {
            throw new IllegalArgumentException(key + "base-url must not have a query or fragment: " + baseUrl);
        }
        baseUrl = baseUrl.trim();
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException(key + "timeout must be positive");
        if (maxConcurrent < 1) throw new IllegalArgumentException(key + "max-concurrent must be at least 1, not " + maxConcurrent);
        if (pricePerImage != null && (pricePerImage.isNaN() || pricePerImage.isInfinite() || pricePerImage < 0)) {
            throw new IllegalArgumentException(key + "price-per-image must be a number ≥ 0, not " + pricePerImage);
        }
        if (creditPrice != null && (creditPrice.isNaN() || creditPrice.isInfinite() || creditPrice < 0)) {
            throw new IllegalArgumentException(key + "credit-price must be a number ≥ 0, not " + creditPrice);
        }
        var copy = new LinkedHashMap<String, Object>();
        if (defaults != null) {
            defaults.forEach((k, v) -> {
                if (k == null || k.isBlank()) throw new IllegalArgumentException(key + "defaults has an empty key");
                if (v == null) throw new IllegalArgumentException(key + "defaults." + k + " has no value");
                copy.put(k, v);
            });
        }
        defaults = Collections.unmodifiableMap(copy);
    }

    /** Settings without a conversion of the provider's credits. */
    public ProviderSettings(String name, String dialect, String baseUrl, String apiKey, Duration timeout,
                            int maxConcurrent, Double pricePerImage, Map<String, Object> defaults) {
        this(name, dialect, baseUrl, apiKey, timeout, maxConcurrent, pricePerImage, null, defaults);
    }

    /** Whether a key is set (a provider without one is left out, and its routes skipped). */
    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** The generation endpoint, joined as the class comment says. */
    public HttpUrl generationsUrl() {
        HttpUrl base = HttpUrl.get(baseUrl);
        String path = base.encodedPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String tail = path.endsWith("/v1") ? "images/generations" : ENDPOINT;
        return base.newBuilder().encodedPath(path + "/" + tail).build();
    }

    /** The configuration path of one of this provider's keys, for error messages: {@code providers.<name>.<key>}. */
    public String keyPath(String key) {
        return "providers." + name + "." + key;
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", dialect=" + dialect + ", baseUrl=" + baseUrl
                + ", apiKey=" + (hasApiKey() ? "(set)" : "(none)") + ", timeout=" + timeout
                 + ", maxConcurrent=" + maxConcurrent + ", pricePerImage=" + pricePerImage
                + ", creditPrice=" + creditPrice + ", defaults=" + defaults + "]";
    }
}
