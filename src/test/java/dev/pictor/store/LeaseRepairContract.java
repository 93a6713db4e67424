package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.RepairNotice;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobFence;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaFixtures;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
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
        /** Daily spend counted (no cap set), in UTC days. */
        final SpendCaps spend;

        Process(String id) {
            this(id, owner -> true);
        }

        Process(String id, java.util.function.Predicate<String> ownerMayBeAlive) {
            opened.add(db);
            ledger = new SqliteJobLedger(db, catalog, clock, id, ownerMayBeAlive, true); // leases timed by the test's clock
            quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ledger);
            spend = new SpendCaps(db, new SpendSettings("USD", null, null, java.time.ZoneOffset.UTC, true), clock,
                    SpendCaps.Warnings.NONE);
            ledger.leases().register();
        }

        List<JobView> repair() {
            return ledger.repairInterrupted(quota, spend);
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

    /** Whether {@code owner} holds a lease, as {@code p} reads it; empty when it has no lease row. */
    private static java.util.Optional<Boolean> lease(Process p, String owner) {
        Database.Work<java.util.Optional<Boolean>> read = d -> p.ledger.leases().holds(d, owner);
        return p.db.read(read);
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
    void a_clean_stop_that_leaves_no_job_open_leaves_nothing_to_claim_and_one_that_leaves_a_job_has_it_repaired_at_once() {
        // given three processes on three hosts; A ran a job of Carol's to its end, C still runs one of Dan's
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        var c = new Process("host-c/300/3");
        runningJob(a, "j1", "carol", 1);
        a.ledger.closed(new JobClosing("j1", JobStatus.SUCCEEDED, "a", "imagen-4.0-generate-001", 1, 1, 1, 0, 0.04,
                null, null, null, clock.instant(), List.of()));
        runningJob(c, "j2", "dan", 2);

        // when A and C stop cleanly, C's drain having run out with Dan's job still open
        a.ledger.leases().leave();
        c.ledger.leases().leave();

        // then A's lease is gone, and C's has run out
        assertThat(lease(b, "host-a/100/1")).isEmpty();
        assertThat(lease(b, "host-c/300/3")).contains(false);
        // and past the grace B repairs Dan's job, well before C's lease would have run out by itself; A left no lease
        // to claim (a stop that left nothing open is no process to warn about), and Carol's job is as A closed it
        clock.advance(Leases.GRACE.plusSeconds(1));
        b.ledger.leases().renew();
        assertThat(Leases.GRACE.plusSeconds(1)).isLessThan(Leases.TTL);
        assertThat(b.repair()).extracting(JobView::id).containsExactly("j2");
        assertThat(b.ledger.tokens("j2")).containsExactly(2, 2);
        assertThat(b.ledger.tokens("j1")).containsExactly(1, 0);
        assertThat(lease(b, "host-c/300/3")).as("released once repaired").isEmpty();
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

    // ------------------------------------------------------------------ self-fencing (#12)

    @Test
    void a_job_another_process_repaired_is_fenced_for_the_process_that_ran_it_when_it_comes_back() {
        // given A running Kim's job, holding its lease: A's gate lets the job post
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        runningJob(a, "j1", "kim", 2);
        JobFence fence = a.ledger.fence();
        long term = fence.term();
        assertThat(fence.holds(term)).isTrue();
        assertThat(fence.ownsOpen("j1")).isTrue();

        // when A is cut off from the database past its lease and the grace, and B claims the lease and repairs the job
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
        b.ledger.leases().renew();
        assertThat(b.ledger.repairInterrupted(b.quota)).extracting(JobView::id).containsExactly("j1");

        // then, back, A's gate says no for that job: the lease it opened it under is gone, and the row is no longer
        // its open job
        assertThat(fence.holds(term)).isFalse();
        assertThat(fence.ownsOpen("j1")).isFalse();
        // and keeps saying no once A holds a new lease, while a job A opens from now on may post
        assertThat(a.ledger.leases().renew()).isTrue();
        assertThat(fence.holds(term)).isFalse();
        runningJob(a, "j2", "kim", 1);
        assertThat(fence.holds(fence.term())).isTrue();
        assertThat(fence.ownsOpen("j2")).isTrue();
    }

    @Test
    void a_job_whose_row_another_process_closed_is_fenced_by_the_row_even_while_the_lease_looks_fresh() {
        // given A on this host with Lou's job, its lease renewed a moment ago
        var a = new Process("host/100/1");
        runningJob(a, "j1", "lou", 1);
        long term = a.ledger.fence().term();

        // when a process starting on the host takes A for gone and repairs its job at once
        var b = new Process("host/200/2", owner -> !owner.equals("host/100/1"));
        assertThat(b.ledger.repairInterrupted(b.quota)).extracting(JobView::id).containsExactly("j1");

        // then A's lease still looks held in memory, but the row tells: the job is not A's to post any more
        assertThat(a.ledger.fence().holds(term)).isTrue();
        assertThat(a.ledger.fence().ownsOpen("j1")).isFalse();
        // nor is another process's job, nor an unknown one
        runningJob(b, "j2", "lou", 1);
        assertThat(a.ledger.fence().ownsOpen("j2")).isFalse();
        assertThat(a.ledger.fence().ownsOpen("nope")).isFalse();
    }

    @Test
    void a_lease_not_renewed_for_a_while_is_renewed_by_the_gate_and_held_when_nobody_claimed_it() {
        // given A with a job, its renewals late (a long pause) but nobody has claimed its lease
        var a = new Process("host-a/100/1");
        runningJob(a, "j1", "max", 1);
        long term = a.ledger.fence().term();
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));

        // then the gate renews it on the spot and lets the job post
        assertThat(a.ledger.fence().holds(term)).isTrue();
        assertThat(a.ledger.fence().term()).isEqualTo(term);
    }

    // ------------------------------------------------------------------ spend holds of a dead process (#12)

    private static BigDecimal spent(Process p, String subject) {
        return p.spend.spent(subject, null);
    }

    @Test
    void the_repair_gives_back_a_dead_process_spend_holds_once_even_when_two_race_and_settles_an_answered_one() throws Exception {
        // given A running eight one-image jobs, each holding 0.04 on the bot's day; the provider answered j7 at a cost
        // of 0.03 before A died; and C running a job of its own, holding 0.04
        var a = new Process("host-a/100/1");
        var b = new Process("host-b/200/2");
        var c = new Process("host-c/300/3");
        for (int i = 0; i < 8; i++) {
            runningJob(a, "j" + i, "m" + i, 1);
            assertThat(a.spend.reserve("j" + i, member("m" + i, "pool-bot"), 0.04)).isEmpty();
        }
        a.ledger.answered("j7", "a", "imagen-4.0-generate-001", 1.0, 0.03, 7L, null);
        runningJob(c, "live", "m9", 1);
        assertThat(c.spend.reserve("live", member("m9", "pool-bot"), 0.04)).isEmpty();
        assertThat(spent(b, "b:pool-bot")).isEqualByComparingTo("0.36");

        // when A dies and B and C repair its jobs at the same moment
        clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
        b.ledger.leases().renew();
        c.ledger.leases().renew();
        var barrier = new CyclicBarrier(2);
        var ids = new ArrayList<String>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<List<JobView>>>();
            for (Process survivor : List.of(b, c)) {
                futures.add(pool.submit((Callable<List<JobView>>) () -> {
                    barrier.await();
                    return survivor.repair();
                }));
            }
            for (var f : futures) f.get().forEach(j -> ids.add(j.id()));
        }

        // then each of A's holds ends once: the seven unanswered released, j7 settled at its cost; C's hold stands
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();
        assertThat(spent(b, "b:pool-bot")).isEqualByComparingTo("0.07");
        assertThat(spent(b, "c:discord:g1")).isEqualByComparingTo("0.07");
        // and a later repair (or A's own end, had it only been cut off) ends no hold twice
        assertThat(b.repair()).isEmpty();
        a.spend.release("j0");
        a.spend.settle("j7", 0.5);
        assertThat(spent(b, "b:pool-bot")).isEqualByComparingTo("0.07");
        // and C's own job, still running, settles as ever
        c.spend.settle("live", 0.01);
        assertThat(spent(b, "b:pool-bot")).isEqualByComparingTo("0.04");
    }
}
