package dev.pictor.config;

import dev.pictor.core.ProviderSlots;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code providers.<name>}: one image provider. {@code dialect} is how it is spoken to ({@code aimlapi} or
 * {@code openai}), {@code base-url} where ({@code POST {base-url}/v1/images/generations}), {@code api-key} the
 * Bearer key — when it is empty the provider is disabled, not an error. {@code timeout} bounds one call,
 * {@code max-concurrent} the calls in flight, {@code price-per-image} what one image costs in the configured
 * {@code currency} (the spend recorded when the provider does not report one, and the price of each of its routes
 * that sets none), {@code credit-price} what one unit of the spend the provider reports (AI/ML API's credits) costs
 * in that currency, {@code defaults} are extra request fields laid under every request (e.g. safety settings).
 * {@code max-concurrent} counts in each process; {@code rate} ({@code 60/1m}: what the provider's plan allows per
 * key) counts for every process on the database together, and a call whose turn in it is further off than
 * {@code rate-wait} (default 30s) goes to the model's next route instead.
 */
public record ProviderConfig(String dialect, String baseUrl, String apiKey, Duration timeout, Integer maxConcurrent,
                             QuotaLimit rate, Duration rateWait, Double pricePerImage, Double creditPrice,
                             Map<String, Object> defaults) {
    public static final List<String> DIALECTS = Providers.DIALECTS;
    public static final Duration DEFAULT_TIMEOUT = ProviderSettings.DEFAULT_TIMEOUT;
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    public static final Duration DEFAULT_RATE_WAIT = ProviderSlots.DEFAULT_RATE_WAIT;

    public ProviderConfig {
        dialect = dialect == null ? null : dialect.strip();
        baseUrl = Values.stripSlash(baseUrl);
        apiKey = apiKey == null ? "" : apiKey.strip();
        timeout = Values.or(timeout, DEFAULT_TIMEOUT);
        maxConcurrent = Values.or(maxConcurrent, DEFAULT_MAX_CONCURRENT);
        rateWait = Values.or(rateWait, DEFAULT_RATE_WAIT);
        defaults = Values.ordered(defaults);
        var c = Invalid.collector().require("dialect", dialect).require("base-url", baseUrl);
        if (!Values.blank(dialect)) {
            c.check(DIALECTS.contains(dialect), "dialect", "unknown dialect \"" + dialect + "\" (known: " + String.join(", ", DIALECTS) + ")");
        }
        if (!Values.blank(baseUrl)) {
            c.check(Values.isUrl(baseUrl, "http", "https"), "base-url", "must be an http(s) URL such as https://api.aimlapi.com, not \"" + baseUrl + "\"");
        }
        c.check(!timeout.isZero() && !timeout.isNegative(), "timeout", "must be longer than 0s")
                .check(maxConcurrent >= 1 && maxConcurrent <= 10_000, "max-concurrent", "must be from 1 to 10000, not " + maxConcurrent)
                .check(!rateWait.isNegative() && rateWait.compareTo(Duration.ofHours(1)) <= 0, "rate-wait", "must be from 0s to 1h, not " + Units.format(rateWait))
                .check(Values.price(pricePerImage), "price-per-image", "must be a number ≥ 0, not " + pricePerImage)
                .check(Values.price(creditPrice), "credit-price", "must be a number ≥ 0, not " + creditPrice)
                .throwIfAny();
    }

    /** A provider whose key is empty is configured but switched off: its routes are skipped. */
    public boolean enabled() {
        return !apiKey.isEmpty();
    }

    /** The settings the provider package builds a provider from. */
    public ProviderSettings toSettings(String name) {
        return new ProviderSettings(name, dialect, baseUrl, apiKey, timeout, maxConcurrent, pricePerImage, creditPrice, defaults);
    }

    @Override
    public String toString() {
        return "ProviderConfig[dialect=" + dialect + ", baseUrl=" + baseUrl + ", apiKey=" + (enabled() ? "(set)" : "(not set)")
                + ", timeout=" + timeout + ", maxConcurrent=" + maxConcurrent + ", rate=" + rate + ", rateWait=" + rateWait
                + ", pricePerImage=" + pricePerImage
                + ", creditPrice=" + creditPrice + ", defaults=" + defaults + "]";
    }
}
