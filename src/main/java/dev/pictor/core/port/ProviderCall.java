package dev.pictor.core.port;

/**
 * What the core asks one provider for: the provider's own model id and the request's resolved options.
 * {@code seed} null lets the provider choose.
 */
public record ProviderCall(String model, String prompt, String aspect, int count, Long seed, boolean enhance) {
}
