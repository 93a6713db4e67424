package dev.pictor.core.port;

/**
 * What the core asks one gateway for: the gateway's own model id and the request's resolved options.
 * {@code seed} null lets the gateway choose.
 */
public record GatewayCall(String model, String prompt, String aspect, int count, Long seed, boolean enhance) {
}
