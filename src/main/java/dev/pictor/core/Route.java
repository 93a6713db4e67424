package dev.pictor.core;

import java.util.Objects;

/**
 * One way to reach a model: a configured provider, that provider's own id for the model, and what one image costs
 * on it in the configured currency (the route's {@code price}, else its provider's {@code price-per-image}; null
 * when neither is set).
 */
public record Route(String provider, String model, Double price) {
    public Route {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (price != null && (price.isNaN() || price.isInfinite() || price < 0)) {
            throw new IllegalArgumentException("route " + provider + ":" + model + ": price must be a number ≥ 0, not " + price);
        }
    }

    /** A route without a known price. */
    public Route(String provider, String model) {
        this(provider, model, null);
    }

    /** The breaker's key: the same provider and model is the same upstream, whichever model of ours routes to it. */
    String key() {
        return provider + ":" + model;
    }

    @Override
    public String toString() {
        return key();
    }
}
