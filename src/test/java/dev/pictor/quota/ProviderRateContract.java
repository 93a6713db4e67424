package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.store.Database;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider's plan ({@code rate: 3/1m}) counted for every process on one database: two processes, each with its own
 * connection, take their turns from one bucket, so that together they call the provider no more often than the plan
 * allows; a turn further off than the caller's wait is not taken.
 */
abstract class ProviderRateContract {
    @TempDir
    Path dir;

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();

    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private final List<Database> opened = new ArrayList<>();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One process's view of the rates: its own database connection, the same configuration. */
    private ProviderRateBuckets process() {
        Database db = Database.open(url());
        opened.add(db);
        return new ProviderRateBuckets(db, clock, Map.of("aimlapi", LimitSpec.parse("3/1m")));
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Test
    void two_processes_share_three_calls_a_minute_and_the_next_turn_is_reserved_twenty_seconds_on() {
        var one = process();
        var two = process();

        assertThat(one.reserve("aimlapi", WAIT)).isEqualTo(Duration.ZERO);
        assertThat(two.reserve("aimlapi", WAIT)).isEqualTo(Duration.ZERO);
        assertThat(one.reserve("aimlapi", WAIT)).isEqualTo(Duration.ZERO);
        // the plan is spent: the fourth call's turn is when the first call comes back, the fifth's 20 s after that
        assertThat(two.reserve("aimlapi", WAIT)).isEqualTo(Duration.ofSeconds(20));
        assertThat(one.reserve("aimlapi", WAIT)).as("40 s is beyond the 30 s this caller waits: nothing taken").isNull();
        assertThat(one.reserve("aimlapi", Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(40));
        assertThat(two.reserve("aimlapi", Duration.ZERO)).as("a caller who does not wait takes only a free turn").isNull();

        clock.advance(Duration.ofSeconds(60));
        assertThat(two.reserve("aimlapi", WAIT)).as("a minute on, one turn has come back beyond the two reserved")
                .isEqualTo(Duration.ZERO);
        assertThat(two.reserve("aimlapi", WAIT)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void a_caller_who_does_not_wait_takes_the_free_turns_and_then_none() {
        var one = process();
        var two = process();
        assertThat(one.reserve("aimlapi", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(two.reserve("aimlapi", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(two.reserve("aimlapi", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(one.reserve("aimlapi", Duration.ZERO)).isNull();
        clock.advance(Duration.ofSeconds(20));
        assertThat(one.reserve("aimlapi", Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void a_provider_without_a_rate_is_never_held_back() {
        var one = process();
        for (int i = 0; i < 10; i++) assertThat(one.reserve("theturbo", Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void callers_racing_from_two_processes_are_given_distinct_turns_never_more_than_the_plan() throws Exception {
        var processes = List.of(process(), process());
        var turns = new ConcurrentLinkedQueue<Duration>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 12; i++) {
                var p = processes.get(i % 2);
                futures.add(pool.submit(() -> {
                    Duration turn = p.reserve("aimlapi", Duration.ofMinutes(10));
                    turns.add(turn);
                    return null;
                }));
            }
            for (var f : futures) f.get();
        }
        // 3 at once, then one every 20 s: 12 callers get the turns 0, 0, 0, 20 s, 40 s, … 180 s, each once
        assertThat(turns.stream().map(Duration::toSeconds).sorted().toList())
                .containsExactly(0L, 0L, 0L, 20L, 40L, 60L, 80L, 100L, 120L, 140L, 160L, 180L);
    }
}
