package dev.pictor.store;

import dev.pictor.core.port.UpdateInbox.Received;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Telegram update inbox, on either engine: once per bot and id, kept across a reopen until done, pruned a day later. */
abstract class UpdateInboxContract {
    @TempDir
    Path dir;

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();
    Database db;
    final MutableClock clock = MutableClock.at("2026-06-01T10:00:00Z");

    SqliteUpdateInbox open() {
        if (db != null) db.close();
        db = Database.open(url());
        return new SqliteUpdateInbox(db, clock);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    @Test
    void anUpdateIsRecordedOncePerBot_aRedeliveryIsNotNew() {
        var inbox = open();
        assertThat(inbox.record("a", List.of(new Received(7, "{\"update_id\":7}"), new Received(8, "{}")))).containsExactly(7L, 8L);
        // the same ids again, for the same bot: not new; for another bot: new
        assertThat(inbox.record("a", List.of(new Received(8, "{}"), new Received(9, "{}")))).containsExactly(9L);
        assertThat(inbox.record("b", List.of(new Received(8, "{}")))).containsExactly(8L);
    }

    @Test
    void updatesNotDone_surviveAReopen_inIdOrder_untilMarkedDone() {
        var inbox = open();
        inbox.record("a", List.of(new Received(12, "{\"u\":12}"), new Received(10, "{\"u\":10}"), new Received(11, "{\"u\":11}")));
        inbox.done("a", 11);
        // when the process is gone and the database opened again
        inbox = open();
        // then what was not done is there, oldest first, with its JSON
        assertThat(inbox.undone("a")).containsExactly(new Received(10, "{\"u\":10}"), new Received(12, "{\"u\":12}"));
        assertThat(inbox.undone("b")).isEmpty();
        inbox.done("a", 10);
        inbox.done("a", 12);
        assertThat(inbox.undone("a")).isEmpty();
    }

    @Test
    void prune_deletesDoneUpdatesOlderThanTheCutoff_keepsTheRest() {
        var inbox = open();
        inbox.record("a", List.of(new Received(1, "{}"), new Received(2, "{}")));
        inbox.done("a", 1);
        clock.advance(Duration.ofHours(25));
        inbox.record("a", List.of(new Received(3, "{}")));
        inbox.done("a", 3);
        assertThat(inbox.prune("a", clock.instant().minus(Duration.ofDays(1)))).isEqualTo(1);
        // the old undone one stays (to run), the recent done one stays (to refuse a redelivery)
        assertThat(inbox.undone("a")).extracting(Received::id).containsExactly(2L);
        assertThat(inbox.record("a", List.of(new Received(3, "{}")))).isEmpty();
        assertThat(inbox.record("a", List.of(new Received(1, "{}")))).containsExactly(1L);
    }

    @Test
    void the_same_updates_delivered_to_two_processes_at_once_are_new_to_exactly_one_of_them() throws Exception {
        // given two processes on the store (Telegram redelivers a slow batch, to any replica)
        open();
        try (Database other = Database.open(url())) {
            var inboxes = List.of(new SqliteUpdateInbox(db, clock), new SqliteUpdateInbox(other, clock));
            var batch = new java.util.ArrayList<Received>();
            for (long id = 100; id < 140; id++) batch.add(new Received(id, "{}"));
            var barrier = new java.util.concurrent.CyclicBarrier(2);
            var fresh = new java.util.ArrayList<Long>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<java.util.Set<Long>>>();
                for (var inbox : inboxes) {
                    futures.add(pool.submit(() -> {
                        barrier.await();
                        return inbox.record("a", batch);
                    }));
                }
                for (var f : futures) fresh.addAll(f.get());
            }
            // then each update is new once across both: it runs once
            assertThat(fresh).hasSize(40).doesNotHaveDuplicates();
        }
    }

    @Test
    void an_update_a_live_process_has_queued_is_not_run_by_another_starting_and_one_left_by_a_stopped_process_runs_once() {
        // given process A, holding its lease, which recorded update 5 and has it queued (not done yet)
        open();
        try (Database bDb = Database.open(url()); Database cDb = Database.open(url())) {
            var real = java.time.Clock.systemUTC();
            var aLease = new Leases(db, real, "host-a/1/1/-");
            aLease.register();
            var a = new SqliteUpdateInbox(db, clock, aLease);
            assertThat(a.record("a", List.of(new Received(5, "{\"update_id\":5}")))).containsExactly(5L);

            // when process B starts on the same inbox and runs what was left over
            var bLease = new Leases(bDb, real, "host-b/2/2/-");
            bLease.register();
            var b = new SqliteUpdateInbox(bDb, clock, bLease);

            // then it leaves A's queued update to A: the update runs once, in A
            assertThat(b.takeLeftOver("a")).isEmpty();
            assertThat(b.undone("a")).extracting(Received::id).containsExactly(5L);

            // and when A stops before handling it, B and then C starting take it over once between them
            aLease.leave();
            var cLease = new Leases(cDb, real, "host-c/3/3/-");
            cLease.register();
            var c = new SqliteUpdateInbox(cDb, clock, cLease);
            assertThat(b.takeLeftOver("a")).extracting(Received::id).containsExactly(5L);
            assertThat(c.takeLeftOver("a")).isEmpty();
            assertThat(b.takeLeftOver("a")).as("not again to the process that holds it").isEmpty();
        }
    }
}
