package dev.pictor.store;

import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Discord's IDENTIFY slots shared by two processes on one database: one per bucket of a bot per 5 s. */
abstract class IdentifySlotsContract {
    @TempDir
    Path dir;

    abstract String url();

    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private final List<Database> opened = new ArrayList<>();

    private IdentifySlots process() {
        Database db = Database.open(url());
        opened.add(db);
        return new IdentifySlots(db, clock, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Test
    void a_bucket_identified_by_one_process_is_free_for_the_other_only_five_seconds_later() {
        var one = process();
        var two = process();
        assertThat(one.take("pictor", 0)).isEqualTo(Duration.ZERO);
        assertThat(two.take("pictor", 0)).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(3_200));
        assertThat(two.take("pictor", 0)).isEqualTo(Duration.ofMillis(1_800));
        assertThat(one.take("pictor", 0)).as("nor for the process that took it").isEqualTo(Duration.ofMillis(1_800));
        clock.advance(Duration.ofMillis(1_800));
        assertThat(two.take("pictor", 0)).isEqualTo(Duration.ZERO);
        assertThat(one.take("pictor", 0)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void other_buckets_and_other_bots_have_slots_of_their_own() {
        var one = process();
        var two = process();
        assertThat(one.take("pictor", 0)).isEqualTo(Duration.ZERO);
        assertThat(two.take("pictor", 1)).isEqualTo(Duration.ZERO);
        assertThat(two.take("other-bot", 0)).isEqualTo(Duration.ZERO);
        assertThat(one.take("pictor", 1)).isEqualTo(Duration.ofSeconds(5));
    }
}
