package dev.pictor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pictor.testing.MutableClock;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host suspended for a minute: its monotonic clock stood still, so by it the lease was renewed a moment ago; by
 * the wall clock (and the database's) it expired and another process claimed it and repaired its jobs. The lease
 * must not be taken as held without asking the database: its jobs would post images that were refunded.
 */
class SuspendedHostLeaseTest {
    @TempDir
    Path dir;

    @Test
    void a_lease_renewed_before_a_suspend_is_not_held_by_the_monotonic_clock_alone() {
        var clock = MutableClock.at("2026-12-02T05:00:00Z");
        var ticks = new AtomicLong(1_000_000_000L); // the suspended host's monotonic clock: it does not move
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            var a = new Leases(db, clock, "host-a/1/1", true, ticks::get);
            var b = new Leases(db, clock, "host-b/2/2", true);
            a.register();
            b.register();
            long term = a.term();
            assertThat(a.holdsTerm(term)).isTrue();

            // when host A sleeps past its lease and the grace, and B claims A's lease meanwhile
            clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(40));
            b.renew();
            assertThat(b.claimExpired(owner -> true)).containsExactly("host-a/1/1");

            // then, awake, A does not hold the term it had: it asked the database and found the lease claimed
            assertThat(a.holdsTerm(term)).isFalse();
        }
    }
}
