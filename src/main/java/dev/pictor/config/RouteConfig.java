package dev.pictor.config;

/** {@code models.<id>.routes[]}: a provider by its name under {@code providers} and that provider's own model id. */
public record RouteConfig(String provider, String model) {
    public RouteConfig {
        provider = provider == null ? null : provider.strip();
        model = model == null ? null : model.strip();
        Invalid.collector().require("provider", provider).require("model", model).throwIfAny();
    }
}
