package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.port.JobRecord;
import dev.pictor.quota.QuotaFixtures;
import dev.pictor.testing.MutableClock;
import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/** The job ledger and its crash repair on PostgreSQL (a fresh schema per test). */
class PostgresJobLedgerTest extends JobLedgerContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }

    @Test
    void the_same_platform_event_recorded_by_two_processes_at_once_makes_one_job() throws Exception {
        // given two processes on the database, both handed Telegram update 41 (a redelivery to another replica)
        var clock = MutableClock.at("2026-03-10T20:48:00Z");
        var catalog = QuotaFixtures.catalog();
        try (Database aDb = Database.open(url()); Database bDb = Database.open(url())) {
            var a = new SqliteJobLedger(aDb, catalog, clock, "host-a/1/1/-", o -> true);
            var b = new SqliteJobLedger(bDb, catalog, clock, "host-b/2/2/-", o -> true);
            var request = new ImagineRequest(member("carol", "pool-bot"), "a red fox in snow",
                    catalog.find("imagen-4").orElseThrow(), "16:9", 1, 42L, true);

            // when A has recorded its job but not committed yet, and B records the same event meanwhile
            CompletableFuture<Boolean> byB = new CompletableFuture<>();
            boolean byA = aDb.write(d -> {
                boolean opened = a.opened(new JobRecord("ja", request, clock.instant(), "telegram:bot:41"));
                Thread.ofPlatform().start(() -> {
                    try {
                        byB.complete(b.opened(new JobRecord("jb", request, clock.instant(), "telegram:bot:41")));
                    } catch (RuntimeException e) {
                        byB.completeExceptionally(e);
                    }
                });
                // until B's write has either finished or is waiting for A's transaction
                while (!byB.isDone() && !waiting(d)) Thread.onSpinWait();
                return opened;
            });

            // then only A's job is recorded: B's sees it once A commits
            assertThat(byA).isTrue();
            assertThat(byB.get()).isFalse();
            assertThat(a.find("jb")).isEmpty();
            assertThat(b.find("ja")).isPresent();
        }
    }

    /** Whether another session is waiting for a lock this one holds. */
    private static boolean waiting(Database d) throws java.sql.SQLException {
        try (var rs = d.prepared("SELECT count(*) FROM pg_locks WHERE NOT granted").executeQuery()) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
