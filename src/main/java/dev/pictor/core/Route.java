package dev.pictor.core;

import java.util.Objects;

/** One way to reach a model: a configured provider and that provider's own id for the model. */
public record Route(String provider, String model) {
    public Route {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    @Override
    public String toString() {
        return provider + ":" + model;
    }
}
