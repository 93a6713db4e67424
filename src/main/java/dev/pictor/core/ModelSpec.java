package dev.pictor.core;

import java.util.List;
import java.util.Objects;

/** A model of the catalog: the id members type, a label they read, what it accepts, and its routes in order. */
public record ModelSpec(String id, String label, ModelCapabilities capabilities, List<Route> routes) {
    public ModelSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capabilities, "capabilities");
        label = label == null || label.isBlank() ? id : label;
        routes = List.copyOf(routes);
        if (routes.isEmpty()) throw new IllegalArgumentException("model " + id + " has no route");
    }
}
