package dev.pictor.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A burst of one bot's charges queues behind its daily-cap row in the process, not in the connection pool: while
 * another process holds that row, 30 of the bot's charges wait with at most one of this process's connections,
 * and a member of another bot is charged meanwhile (before, the 30 took all 10 connections and the other member's
 * charge failed after the pool's 10 s timeout). When the row is free again every queued charge is granted.
 */
class PostgresSharedRowQueueTest {
    private static final QuotaSettings SETTINGS = new QuotaSettings(
            Map.of("free", List.of("100/1d")), "free",
            Map.of("capped", new QuotaSettings.ProfileQuota(List.of(), 1_000)));

    private static Requester member(String id, String profile) {
        return new Requester(Platform.DISCORD, id, id, null, profile, null);
    }

    @Test
    void chargesThroughAHotRowWaitInTheProcessAndLeaveConnectionsToOthers() throws Exception {
        String url = PostgresFixture.freshUrl();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Database db = Database.open(url); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var quota = new BucketQuota(db, SETTINGS, Clock.systemUTC(), ChargeJournal.NONE);
            assertThat(quota.charge(member("first", "capped"), 1)).isInstanceOf(QuotaDecision.Granted.class);

            // given another process holding the bot's cap row
            try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement();
                 Connection watch = DriverManager.getConnection(url); Statement w = watch.createStatement()) {
                other.setAutoCommit(false);
                s.executeQuery("SELECT state FROM " + schema + ".quota_buckets WHERE id = 'bot:capped' FOR UPDATE").close();

                // when 30 of that bot's members ask at once
                var queued = new ArrayList<CompletableFuture<QuotaDecision>>();
                for (int i = 0; i < 30; i++) {
                    Requester who = member("m" + i, "capped");
                    queued.add(CompletableFuture.supplyAsync(() -> quota.charge(who, 1), threads));
                }
                int waiting = 0, most = 0;
                for (int poll = 0; poll < 40 && (waiting == 0 || poll < 10); poll++) {
                    Thread.sleep(50);
                    waiting = lockWaiters(w, schema);
                    most = Math.max(most, waiting);
                }
                assertThat(waiting).as("a charge waits on the row").isGreaterThanOrEqualTo(1);

                // then a member of a bot without a cap is charged meanwhile, and only one connection waits on the row
                CompletableFuture<QuotaDecision> elsewhere = CompletableFuture.supplyAsync(() -> quota.charge(member("free", null), 1), threads);
                assertThat(elsewhere.get(5, TimeUnit.SECONDS)).isInstanceOf(QuotaDecision.Granted.class);
                most = Math.max(most, lockWaiters(w, schema));
                assertThat(most).as("this process's connections waiting on the cap row").isEqualTo(1);
                assertThat(queued).noneMatch(CompletableFuture::isDone);

                other.rollback();
                for (var f : queued) assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(QuotaDecision.Granted.class);
            }
        }
    }

    /** Connections of the test server waiting for a lock on a statement of this schema's quota tables. */
    private static int lockWaiters(Statement w, String schema) throws Exception {
        try (ResultSet rs = w.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                + "AND query LIKE '%quota_buckets%' AND pid <> pg_backend_pid() "
                + "AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = pg_stat_activity.pid AND NOT l.granted)")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
