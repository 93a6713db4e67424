package dev.pictor.config;

/**
 * {@code routing}: how routes are chosen across every model. {@code breaker} is the circuit breaker each route has
 * (see {@link BreakerConfig}); the order of a model's routes is the model's own {@code routing} word.
 */
public record RoutingConfig(BreakerConfig breaker) {
    public static final RoutingConfig DEFAULT = new RoutingConfig(null);

    public RoutingConfig {
        breaker = Values.or(breaker, BreakerConfig.DEFAULT);
    }
}
