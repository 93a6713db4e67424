package dev.pictor.ops;

import dev.pictor.core.RouteBreakers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes' circuit breakers as an operator sees them: the gauge {@code pictor_route_state{provider,model,state}}
 * (1 for the state each route is in, 0 for the other two: {@code closed}, {@code open}, {@code half-open}), the
 * {@code routes} check of {@code /healthz} and its details.
 *
 * <p>An open route does not make pictor unready: its models fail over to their other routes, and a model whose
 * routes are all open refuses its requests at once, telling the member when to come back. The check is down only
 * when <em>every</em> route of every model is open — then pictor can serve nothing until a probe succeeds, which an
 * operator wants to be paged for.
 */
public final class RouteHealth {
    private final RouteBreakers breakers;

    /** Registers the gauges of every route the breakers know (register the catalog's routes with them first). */
    public RouteHealth(RouteBreakers breakers, MeterRegistry registry) {
        this.breakers = breakers;
        for (RouteBreakers.RouteState route : breakers.states()) {
            for (RouteBreakers.State state : RouteBreakers.State.values()) {
                Gauge.builder("pictor.route.state", () -> in(route.provider(), route.model(), state) ? 1 : 0)
                        .description("The state of a route's circuit breaker: 1 for the state it is in (closed, open, half-open)")
                        .tag("provider", route.provider()).tag("model", route.model()).tag("state", state.word())
                        .register(registry);
            }
        }
    }

    private boolean in(String provider, String model, RouteBreakers.State state) {
        return breakers.states().stream()
                .anyMatch(r -> r.provider().equals(provider) && r.model().equals(model) && r.state() == state);
    }

    /** The {@code routes} check: down only when every known route is open, with the routes and when each is probed. */
    public OpsServer.Check check() {
        List<RouteBreakers.RouteState> states = breakers.states();
        boolean allOpen = !states.isEmpty() && states.stream().allMatch(r -> r.state() == RouteBreakers.State.OPEN);
        if (!allOpen) return new OpsServer.Check(true, null);
        var each = new ArrayList<String>();
        states.forEach(r -> each.add(r.provider() + ":" + r.model() + " until " + r.halfOpenAt()));
        return new OpsServer.Check(false, "every route's circuit breaker is open: " + String.join(", ", each));
    }

    /**
     * The {@code routes} entry of {@code /healthz}'s details: how many routes are closed, the open ones with the time
     * each lets a probe through, and those being probed now.
     */
    public Map<String, Object> details() {
        var open = new LinkedHashMap<String, String>();
        var probing = new ArrayList<String>();
        int closed = 0;
        for (RouteBreakers.RouteState r : breakers.states()) {
            switch (r.state()) {
                case OPEN -> open.put(r.provider() + ":" + r.model(), String.valueOf(r.halfOpenAt()));
                case HALF_OPEN -> probing.add(r.provider() + ":" + r.model());
                case CLOSED -> closed++;
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("closed", closed);
        out.put("open", open);
        out.put("half-open", probing);
        return out;
    }
}
