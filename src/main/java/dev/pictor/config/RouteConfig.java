package dev.pictor.config;

/**
 * {@code models.<id>.routes[]}: a provider by its name under {@code providers}, that provider's own model id, and
 * optionally what one image costs on this route in the configured {@code currency} ({@code price}; when it is left
 * out the provider's {@code price-per-image} applies, if any).
 */
public record RouteConfig(String provider, String model, Double price) {
    public RouteConfig {
        provider = provider == null ? null : provider.strip();
        model = model == null ? null : model.strip();
        Invalid.collector().require("provider", provider).require("model", model)
                .check(Values.price(price), "price", "must be a number ≥ 0 (the price of one image), not " + price)
                .throwIfAny();
    }
}
