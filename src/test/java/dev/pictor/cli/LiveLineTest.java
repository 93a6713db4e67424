package dev.pictor.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What a person at the terminal sees while {@code imagine} waits: phase, time, provider and attempt. */
class LiveLineTest {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void on_a_terminal_one_line_is_redrawn_with_the_elapsed_time_provider_attempt_and_queued_and_cleared_at_the_end() {
        var text = new StringWriter();
        var clock = new HandClock();
        try (var live = new LiveLine(new PrintWriter(text), true, clock, null)) {
            live.calling("aimlapi", 1);
            clock.now = clock.now.plus(Duration.ofSeconds(3));
            live.note("aimlapi attempt 1 failed: transient-503");
            live.calling("aimlapi", 2);
            clock.now = clock.now.plus(Duration.ofSeconds(9));
            live.phase("queued (waiting for a free slot at the image service)");
        }
        assertThat(text.toString()).isEqualTo(
                "\rgenerating · aimlapi · attempt 1 · 0 s\u001b[K"
                        + "\r\u001b[K" + "aimlapi attempt 1 failed: transient-503" + System.lineSeparator()
                        + "\rgenerating · aimlapi · attempt 1 · 3 s\u001b[K"
                        + "\rgenerating · aimlapi · attempt 2 · 3 s\u001b[K"
                        + "\rqueued (waiting for a free slot at the image service) · aimlapi · attempt 2 · 12 s\u001b[K"
                        + "\r\u001b[K");
    }

    @Test
    void in_a_pipe_or_a_file_a_line_is_printed_only_when_the_state_changes_and_nothing_is_redrawn() {
        var text = new StringWriter();
        var clock = new HandClock();
        try (var live = new LiveLine(new PrintWriter(text), false, clock, null)) {
            live.phase("generating");
            live.calling("theturbo", 1);
            live.calling("theturbo", 1);
            clock.now = clock.now.plus(Duration.ofSeconds(2));
            live.calling("lumenfall", 1);
        }
        String nl = System.lineSeparator();
        assertThat(text.toString()).isEqualTo("generating · 0 s" + nl + "generating · theturbo · attempt 1 · 0 s" + nl
                + "generating · lumenfall · attempt 1 · 2 s" + nl).doesNotContain("\r");
    }

    @Test
    void on_a_terminal_the_line_is_redrawn_without_a_change_so_that_the_time_moves() throws Exception {
        var text = new StringWriter();
        var clock = new HandClock();
        try (var live = new LiveLine(new PrintWriter(text), true, clock, Duration.ofMillis(1))) {
            live.calling("aimlapi", 1);
            clock.now = clock.now.plus(Duration.ofSeconds(5));
            // then, with no call of ours, a redraw shows the new time (waits for the ticker, not for a duration)
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a hang guard, not a speed check
            while (!text.toString().contains("attempt 1 · 5 s")) {
                assertThat(System.nanoTime()).as("the line was never redrawn").isLessThan(giveUp);
                Thread.sleep(1);
            }
        }
        assertThat(text.toString()).endsWith("\r\u001b[K");
    }
}
