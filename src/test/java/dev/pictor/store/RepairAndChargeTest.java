package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaFixtures;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On SQLite, a repair's refund (inside the repair's write transaction, holding the database's lock) and a charge
 * through the same community pool at the same moment both finish. They deadlocked when the charge queued first in
 * {@code quota/SharedRowGate} and then for the database's lock, while the refund held that lock and queued for the
 * gate; the gate now stands aside on SQLite and for a thread already in a transaction (found by a review).
 */
class RepairAndChargeTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    final ModelCatalog catalog = QuotaFixtures.catalog();

    @Test
    void a_repair_refund_and_a_charge_of_the_same_pool_do_not_deadlock() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("pictor.db");
        // process A runs Carol's job (pool-bot, pool of g1) and dies
        Database dbA = Database.open(url);
        var ledgerA = new SqliteJobLedger(dbA, catalog, clock, "host-a/1/1", o -> true, true);
        var quotaA = new BucketQuota(dbA, QuotaFixtures.settings(), clock, ledgerA);
        ledgerA.leases().register();
        var req = new ImagineRequest(member("carol", "pool-bot"), "a fox", catalog.find("imagen-4").orElseThrow(), "16:9", 2, 42L, true);
        ledgerA.opened(new JobRecord("j1", req, clock.instant()));
        quotaA.charge("j1", member("carol", "pool-bot"), 2);
        ledgerA.started("j1", clock.instant());

        // process B (same host's SQLite file) repairs it while Dave's charge through the same pool runs in B
        Database db = Database.open(url);
        var ledger = new SqliteJobLedger(db, catalog, clock, "host-b/2/2", o -> true, true);
        var quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ledger);
        var spend = new SpendCaps(db, new SpendSettings("USD", null, null, java.time.ZoneOffset.UTC, true), clock, SpendCaps.Warnings.NONE);
        ledger.leases().register();
        for (int i = 0; i < 5; i++) {
            clock.advance(Leases.RENEW_EVERY);
            ledger.leases().renew();
        }
        var req2 = new ImagineRequest(member("dave", "pool-bot"), "a cat", catalog.find("imagen-4").orElseThrow(), "16:9", 1, 42L, true);
        ledger.opened(new JobRecord("j2", req2, clock.instant()));

        var inRepairTx = new CountDownLatch(1);
        // the real quota, but its refund (called by the repair inside its transaction) waits until Dave's charge has
        // taken the pool's gate and queues for the database's lock: the interleaving a busy bot makes likely
        QuotaPort timed = new QuotaPort() {
            @Override
            public QuotaDecision charge(Requester who, int images) {
                return quota.charge(who, images);
            }

            @Override
            public void refund(QuotaDecision.Granted grant, int images) {
                quota.refund(grant, images);
            }

            @Override
            public QuotaView view(Requester who) {
                return quota.view(who);
            }

            @Override
            public void refund(String jobId, QuotaDecision.Granted grant, int images) {
                inRepairTx.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!db.sharedLock().hasQueuedThreads() && System.nanoTime() < until) Thread.onSpinWait();
                quota.refund(jobId, grant, images);
            }
        };
        var pool = Executors.newFixedThreadPool(2);
        try {
            var repair = pool.submit(() -> ledger.repairInterrupted(timed, spend));
            var charge = pool.submit(() -> {
                inRepairTx.await();
                return quota.charge("j2", member("dave", "pool-bot"), 1);
            });
            // both finish; a deadlock leaves both waiting forever
            boolean done;
            try {
                repair.get(15, TimeUnit.SECONDS);
                charge.get(15, TimeUnit.SECONDS);
                done = true;
            } catch (java.util.concurrent.TimeoutException e) {
                done = false;
            }
            assertThat(done).as("repair and charge finished (no deadlock)").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
