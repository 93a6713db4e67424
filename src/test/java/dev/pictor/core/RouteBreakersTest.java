package dev.pictor.core;

import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What opens a route's breaker: failures, never slowness alone. */
class RouteBreakersTest {
    private final MutableClock clock = MutableClock.at("2026-12-02T00:00:00Z");
    private final RouteBreakers breakers = new RouteBreakers(new BreakerPolicy(50, 10, 3, Duration.ofSeconds(30)), clock);
    private final Route route = new Route("aiml", "imagen-4.0-generate-001");

    @Test
    void aProviderThatAnswersSlowly_everyTime_keepsItsRouteOpenForJobs() {
        // given a route whose every call takes 90 s (a busy provider, or a model that is slow by nature)
        for (int i = 0; i < 10; i++) {
            assertThat(breakers.tryEnter(route)).as("call %d goes out", i + 1).isTrue();
            clock.advance(Duration.ofSeconds(90));
            breakers.succeeded(route, Duration.ofSeconds(90));
        }
        // then it is still tried: slow answers are answers
        assertThat(breakers.tryEnter(route)).isTrue();
        breakers.released(route);
        assertThat(breakers.states()).singleElement().extracting(RouteBreakers.RouteState::state)
                .isEqualTo(RouteBreakers.State.CLOSED);
    }

    @Test
    void failures_doOpenIt() {
        for (int i = 0; i < 3; i++) {
            assertThat(breakers.tryEnter(route)).isTrue();
            breakers.failed(route, Duration.ofMillis(20), new RuntimeException("503"));
        }
        assertThat(breakers.tryEnter(route)).isFalse();
    }
}
