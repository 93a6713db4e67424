package dev.pictor.core;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A model of the catalog: the id members type, a label they read, what it accepts, its routes as configured, and in
 * which order they are tried ({@link Routing}).
 */
public record ModelSpec(String id, String label, ModelCapabilities capabilities, List<Route> routes, Routing routing) {
    /** In which order a model's routes are tried; a route whose breaker is open is skipped either way. */
    public enum Routing {
        /** As configured (the default). */
        ORDERED,
        /** The lowest {@link Route#price()} first; routes without a price after the priced ones, as configured. */
        CHEAPEST
    }

    public ModelSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capabilities, "capabilities");
        label = label == null || label.isBlank() ? id : label;
        routes = List.copyOf(routes);
        routing = routing == null ? Routing.ORDERED : routing;
        if (routes.isEmpty()) throw new IllegalArgumentException("model " + id + " has no route");
    }

    /** A model whose routes are tried in the configured order. */
    public ModelSpec(String id, String label, ModelCapabilities capabilities, List<Route> routes) {
        this(id, label, capabilities, routes, Routing.ORDERED);
    }

    /** The routes in the order they are tried: as configured, or cheapest first (a stable sort, unpriced last). */
    public List<Route> routesInTurn() {
        if (routing == Routing.ORDERED) return routes;
        return routes.stream().sorted(Comparator.comparing(Route::price, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
    }
}
