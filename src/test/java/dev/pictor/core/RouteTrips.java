package dev.pictor.core;

import java.time.Duration;

/** Drives a route's breaker from tests outside the core, as the route runner would after a failed call. */
public final class RouteTrips {
    private RouteTrips() {
    }

    /** One call to {@code route} that failed by the route's fault. */
    public static void fail(RouteBreakers breakers, Route route) {
        if (!breakers.tryEnter(route)) throw new AssertionError(route + " is not taking calls");
        breakers.failed(route, Duration.ofMillis(5), new IllegalStateException("HTTP 500"));
    }
}
