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

    /** The rate alone would need 10 calls, all failed: what opens these is the failing jobs in a row. */
    private final RouteBreakers byJobs = new RouteBreakers(new BreakerPolicy(100, 10, 10, Duration.ofSeconds(30),
            Duration.ofSeconds(30), 2), clock);

    private void call(RouteBreakers b, String job, boolean ok) {
        assertThat(b.tryEnter(route)).as("%s's call goes out", job).isTrue();
        if (ok) b.succeeded(route, Duration.ofMillis(20));
        else b.failed(route, Duration.ofMillis(20), new RuntimeException("503"), job);
    }

    @Test
    void twoJobsInARowThatFoundTheRouteFailing_openIt_oneJobsRetriesCountOnce() {
        call(byJobs, "job-1", false);
        call(byJobs, "job-1", false); // its retry: the same job
        call(byJobs, "job-1", false);
        assertThat(byJobs.tryEnter(route)).as("one job's bad luck").isTrue();
        byJobs.released(route);

        call(byJobs, "job-2", false);

        assertThat(byJobs.tryEnter(route)).isFalse();
        assertThat(byJobs.halfOpenAt(route)).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void anAnswerInBetween_startsTheCountAgain_andZeroFailingJobsTurnsTheRuleOff() {
        call(byJobs, "job-1", false);
        call(byJobs, "job-2", true);
        call(byJobs, "job-3", false);
        assertThat(byJobs.tryEnter(route)).isTrue();
        byJobs.released(route);

        var rateOnly = new RouteBreakers(new BreakerPolicy(100, 10, 10, Duration.ofSeconds(30), Duration.ofSeconds(30), 0), clock);
        for (int j = 1; j <= 5; j++) call(rateOnly, "job-" + j, false);
        assertThat(rateOnly.tryEnter(route)).isTrue();
    }
}
