package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.RepairNotice;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaFixtures;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes on one database, each holding a lease: when one dies (stops renewing), another repairs its open jobs
 * within a minute, once, refunding only what was not delivered, even when several survivors race.
 */
abstract class LeaseRepairContract {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    final ModelCatalog catalog = QuotaFixtures.catalog();
    private final List<Database> opened = new ArrayList<>();

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();

    /** One pictor process on the shared database, on another host than the others (its pid cannot be checked). */
    final class Process {
        final Database db = Database.open(url());
        final SqliteJobLedger ledger;
        final BucketQuota quota;

        Process(String id) {
            this(id, owner -> true);
        }

        Process(String id, java.util.function.Predicate<String> ownerMayBeAlive) {
            opened.add(db);
            ledger = new SqliteJobLedger(db, catalog, clock, id, ownerMayBeAlive, true); // leases timed by the test's clock
            quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ledger);
            ledger.leases().register();
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private ImagineRequest request(String user, int count) {
        return new ImagineRequest(member(user, "pool-bot"), "a red fox in snow", catalog.find("imagen-4").orElseThrow(),
                "16:9", count, 42L, true);
    }

    private void runningJob(Process p, String id, String user, int images) {
        p.ledger.opened(new JobRecord(id, request(user, images), clock.instant()));
        p.quota.charge(id, member(user, "pool-bot"), images);
        p.ledger.started(id, clock.instant());
    }

    private static long poolLeft(Process p, String user) {
        return p.quota.view(member(user, "pool-bot")).pool().getFirst().remaining();
    }

    @Test
    void a_process_that_stops_renewing_its_lease_has_its_jobs_repaired_by_another_within_a_minute_once() {
        // given two processes on two hosts; A runs Carol's 3-image job and has posted one of its images
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        runningJob(a, "j1", "carol", 3);
        a.ledger.posted("j1", List.of(new JobPost("-100", "7", 1)));

        // while A renews its lease, B leaves its job alone
        clock.advance(Leases.RENEW_EVERY);
        a.ledger.leases().renew();
        b.ledger.leases().renew();
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();

        // when A dies (kill -9: no more renewals) and its lease runs out, while B goes on renewing
        for (int i = 0; i < 5; i++) {
            clock.advance(Leases.RENEW_EVERY);
            b.ledger.leases().renew();
        }
        List<JobView> repaired = b.ledger.repairInterrupted(b.quota);

        // then B closes Carol's job within a minute of A's death: one image delivered, two given back
        assertThat(Leases.TTL.plus(Leases.GRACE).plus(Leases.RENEW_EVERY)).isLessThan(Duration.ofMinutes(1));
        assertThat(repaired).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo("j1");
            assertThat(job.status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(RepairNotice.outcome(job).english()).isEqualTo("1 of your 3 images had already been posted; the other 2 were not charged.");
        });
        assertThat(b.ledger.tokens("j1")).containsExactly(3, 2);
        assertThat(poolLeft(b, "carol")).isEqualTo(9);
        // and nobody repairs it again (B again, or a third process starting later): Carol is told once
        var c = new Process("host-c/300/3");
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();
        assertThat(c.ledger.repairInterrupted(c.quota)).isEmpty();
        assertThat(b.ledger.tokens("j1")).containsExactly(3, 2);
    }

    @Test
    void two_survivors_racing_to_repair_a_dead_process_repair_each_of_its_jobs_once() throws Exception {
        // given A running eight one-image jobs, one per member, on the community pool (10 a day: 2 left)
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        var c = new Process("host-c/300/3");
        for (int i = 0; i < 8; i++) runningJob(a, "j" + i, "m" + i, 1);
        assertThat(poolLeft(b, "m0")).isEqualTo(2);

        // when A dies and B and C both look for its jobs at the same moment
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
        b.ledger.leases().renew();
        c.ledger.leases().renew();
        var barrier = new CyclicBarrier(2);
        List<List<JobView>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<List<JobView>>>();
            for (Process survivor : List.of(b, c)) {
                futures.add(pool.submit((Callable<List<JobView>>) () -> {
                    barrier.await();
                    return survivor.ledger.repairInterrupted(survivor.quota);
                }));
            }
            for (var f : futures) results.add(f.get());
        }

        // then every job is repaired by exactly one of them (so each member is told once) and refunded once
        var ids = new ArrayList<String>();
        results.forEach(r -> r.forEach(j -> ids.add(j.id())));
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).containsExactlyInAnyOrder("j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7");
        for (int i = 0; i < 8; i++) assertThat(b.ledger.tokens("j" + i)).containsExactly(1, 1);
        assertThat(poolLeft(b, "m0")).isEqualTo(10);
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();
        assertThat(c.ledger.repairInterrupted(c.quota)).isEmpty();
    }

    @Test
    void jobs_open_for_over_an_hour_raced_by_two_processes_are_each_repaired_and_refunded_once() throws Exception {
        // given eight jobs still open after more than an hour, whose owner cannot be checked and holds no lease row
        var b = new Process("host-b/200/2");
        var c = new Process("host-c/300/3");
        var gone = new SqliteJobLedger(b.db, catalog, clock, "host-z/9/9", owner -> true);
        var goneQuota = new BucketQuota(b.db, QuotaFixtures.settings(), clock, gone);
        for (int i = 0; i < 8; i++) {
            gone.opened(new JobRecord("s" + i, request("n" + i, 1), clock.instant()));
            goneQuota.charge("s" + i, member("n" + i, "pool-bot"), 1);
        }
        clock.advance(SqliteJobLedger.STALE_AFTER.plusMinutes(1));
        b.ledger.leases().renew();
        c.ledger.leases().renew();

        // when both look for them at once, each job's row is taken by one (the other waits, then finds it closed)
        var ids = new ArrayList<String>();
        var barrier = new CyclicBarrier(2);
        try (var pool = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<List<JobView>>>();
            for (Process survivor : List.of(b, c)) {
                futures.add(pool.submit((Callable<List<JobView>>) () -> {
                    barrier.await();
                    return survivor.ledger.repairInterrupted(survivor.quota);
                }));
            }
            for (var f : futures) f.get().forEach(j -> ids.add(j.id()));
        }

        // then each is closed and refunded once
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();
        for (int i = 0; i < 8; i++) assertThat(b.ledger.tokens("s" + i)).containsExactly(1, 1);
    }

    @Test
    void a_process_restarted_on_the_same_host_repairs_its_predecessors_jobs_at_once_without_waiting_for_the_lease() {
        // given A killed on this host with a job open, its lease still running for up to 15 s
        var a = new Process("host/100/1");
        runningJob(a, "j1", "erin", 2);

        // when pictor starts again on the host (a new pid), which sees that A's process is gone
        var restarted = new Process("host/200/2", owner -> !owner.equals("host/100/1"));
        List<JobView> repaired = restarted.ledger.repairInterrupted(restarted.quota);

        // then it repairs A's job at its start, and a third process does not repair it again
        assertThat(repaired).extracting(JobView::id).containsExactly("j1");
        assertThat(restarted.ledger.tokens("j1")).containsExactly(2, 2);
        clock.advance(Leases.TTL.plusSeconds(1));
        restarted.ledger.leases().renew();
        assertThat(new Process("host-c/300/3").ledger.repairInterrupted(restarted.quota)).isEmpty();
    }

    @Test
    void a_process_whose_lease_was_taken_while_it_stalled_is_told_so_and_takes_a_new_lease() {
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        runningJob(a, "j1", "dave", 1);

        // A stalls past its lease; B repairs its job
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
        b.ledger.leases().renew();
        assertThat(b.ledger.repairInterrupted(b.quota)).extracting(JobView::id).containsExactly("j1");

        // when A wakes up, its renewal finds the lease gone: it says so and takes a new one
        assertThat(a.ledger.leases().renew()).isFalse();
        assertThat(a.ledger.leases().renew()).isTrue();
        // and a new job of A's is left alone by B from then on
        runningJob(a, "j2", "dave", 1);
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();
    }

    @Test
    void a_process_that_renews_its_lease_just_as_another_is_about_to_claim_it_keeps_its_jobs() {
        // given A stalled (a long GC pause) past its lease and the grace, with Fay's job open
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        runningJob(a, "j1", "fay", 2);
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
        b.ledger.leases().renew();

        // when B has read A's lease as expired, and A wakes and renews it before B's claim is written
        b.ledger.leases().afterCandidates(() -> assertThat(a.ledger.leases().renew()).isTrue());
        List<JobView> repaired = b.ledger.repairInterrupted(b.quota);

        // then B's claim does not take the renewed lease: Fay's job is A's, still open, not refunded
        assertThat(repaired).isEmpty();
        assertThat(b.ledger.tokens("j1")).containsExactly(2, 0);
        b.ledger.leases().afterCandidates(() -> { });
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();
        // and A's renewals go on being its own
        assertThat(a.ledger.leases().renew()).isTrue();
    }

    @Test
    void a_lease_just_past_its_expiry_is_left_alone_for_the_grace_then_claimed() {
        // given A running Gus's job, and B renewing its own lease throughout
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        runningJob(a, "j1", "gus", 1);

        // when A's renewal is a second late (its lease expired a moment ago)
        clock.advance(Leases.TTL.plusSeconds(1));
        b.ledger.leases().renew();

        // then B leaves A's job alone
        assertThat(b.ledger.repairInterrupted(b.quota)).isEmpty();
        assertThat(b.ledger.tokens("j1")).containsExactly(1, 0);

        // but once A is later than the grace too, B repairs its job
        clock.advance(Leases.GRACE);
        b.ledger.leases().renew();
        assertThat(b.ledger.repairInterrupted(b.quota)).extracting(JobView::id).containsExactly("j1");
    }

    @Test
    void a_process_whose_own_lease_was_taken_while_it_stalled_claims_no_other_process_when_it_wakes() {
        // given three processes: B stalls first, A later dies with Hal's job open, C renews throughout
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        var c = new Process("host-c/300/3");
        runningJob(a, "j1", "hal", 1);
        clock.advance(Duration.ofSeconds(10));
        a.ledger.leases().renew(); // A's last renewal
        c.ledger.leases().renew();
        // C takes B's lease (B is past its lease and the grace; A is not yet)
        clock.advance(Duration.ofSeconds(11));
        c.ledger.leases().renew();
        assertThat(c.ledger.repairInterrupted(c.quota)).isEmpty();
        assertThat(c.ledger.tokens("j1")).containsExactly(1, 0);

        // when A's lease is past the grace as well, and B wakes up and looks for interrupted jobs before C does
        clock.advance(Duration.ofSeconds(10));
        c.ledger.leases().renew();
        List<JobView> byB = b.ledger.repairInterrupted(b.quota);

        // then B, whose own lease was taken, claims nobody: A's job is repaired by C, the healthy process, once
        assertThat(byB).isEmpty();
        assertThat(c.ledger.repairInterrupted(c.quota)).extracting(JobView::id).containsExactly("j1");
        assertThat(c.ledger.tokens("j1")).containsExactly(1, 1);
    }

    @Test
    void a_process_whose_clock_runs_30_s_fast_does_not_take_a_live_peer_for_dead() {
        // given A, with Ivy's job open, and B on a host whose clock runs 30 s ahead; both time leases as pictor does,
        // by the database's clock
        java.time.Clock real = java.time.Clock.systemUTC();
        var aDb = Database.open(url());
        opened.add(aDb);
        var a = new SqliteJobLedger(aDb, catalog, real, "host-a/100/1", owner -> true);
        var fastDb = Database.open(url());
        java.time.Clock fast = java.time.Clock.offset(real, Duration.ofSeconds(30));
        var b = new SqliteJobLedger(fastDb, catalog, fast, "host-b/200/2", owner -> true);
        var bQuota = new BucketQuota(fastDb, QuotaFixtures.settings(), fast, b);
        opened.add(fastDb);
        a.leases().register();
        b.leases().register();
        a.opened(new JobRecord("j1", request("ivy", 1), real.instant()));
        a.started("j1", real.instant());

        // when A renews its lease as it should and B looks for interrupted jobs
        assertThat(a.leases().renew()).isTrue();
        List<JobView> repaired = b.repairInterrupted(bQuota);

        // then B does not take A (alive, its lease fresh by the database's clock) for dead: Ivy's job stays A's
        assertThat(repaired).isEmpty();
        assertThat(b.find("j1")).get().extracting(JobView::status).isEqualTo(JobStatus.RUNNING);
        assertThat(a.leases().renew()).isTrue();
    }
}
