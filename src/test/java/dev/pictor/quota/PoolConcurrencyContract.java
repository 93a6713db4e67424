package dev.pictor.quota;

import dev.pictor.core.port.AdminPort.Member;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many members of one community asking at once, through two processes (two databases opened on the same store, each
 * with its own connections): the community pool is never overspent, and a member the pool refused is charged
 * nothing (a charge over member, pool and bot layers is all or none).
 */
abstract class PoolConcurrencyContract {
    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private final List<Database> opened = new ArrayList<>();

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private BucketQuota process() {
        Database db = Database.open(url());
        opened.add(db);
        return new BucketQuota(db, QuotaFixtures.settings(), clock, ChargeJournal.NONE);
    }

    @Test
    void forty_members_asking_at_once_through_two_processes_get_exactly_the_pools_ten_images_and_the_rest_pay_nothing()
            throws Exception {
        // given the pool-bot's community pool of 10 images a day, and two processes sharing the store
        List<BucketQuota> processes = List.of(process(), process());
        int members = 40;
        var barrier = new CyclicBarrier(16);
        var decisions = new ArrayList<Future<QuotaDecision>>();

        // when 40 members each ask for one image at once, on 16 threads spread over both processes
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < members; i++) {
                String user = "m" + i;
                BucketQuota quota = processes.get(i % 2);
                boolean first = i < 16;
                decisions.add(pool.submit((Callable<QuotaDecision>) () -> {
                    if (first) barrier.await();
                    return quota.charge(member(user, "pool-bot"), 1);
                }));
            }
            var granted = new ArrayList<String>();
            for (int i = 0; i < members; i++) {
                if (decisions.get(i).get() instanceof QuotaDecision.Granted) granted.add("m" + i);
            }

            // then exactly 10 were granted, the pool is empty, and only those 10 members were charged
            assertThat(granted).hasSize(10);
            BucketQuota any = processes.getFirst();
            assertThat(any.view(member("m0", "pool-bot")).pool().getFirst().remaining()).isZero();
            for (int i = 0; i < members; i++) {
                String user = "m" + i;
                long left = any.view(member(user, "pool-bot")).limits().stream()
                        .filter(l -> l.name().equals("25/1d")).findFirst().orElseThrow().remaining();
                assertThat(left).as(user).isEqualTo(granted.contains(user) ? 24 : 25);
            }
        }
    }

    @Test
    void a_members_extra_images_asked_for_at_once_through_two_processes_are_given_exactly_once_and_never_go_negative()
            throws Exception {
        // given Sol, whose plan is spent for the minute, with 2 extra images granted, and two processes sharing the store
        List<BucketQuota> processes = List.of(process(), process());
        var sol = member("sol");
        for (int i = 0; i < 3; i++) assertThat(processes.getFirst().charge(sol, 1)).isInstanceOf(QuotaDecision.Granted.class);
        processes.getFirst().grant("cli:admin", new Member(sol.platform(), sol.userId()), 2);
        var barrier = new CyclicBarrier(12);
        var decisions = new ArrayList<Future<QuotaDecision>>();

        // when 12 of Sol's jobs ask for one image at once, spread over both processes
        try (var pool = Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 12; i++) {
                BucketQuota quota = processes.get(i % 2);
                decisions.add(pool.submit((Callable<QuotaDecision>) () -> {
                    barrier.await();
                    return quota.charge(sol, 1);
                }));
            }
            // then exactly two are granted from the extras and the others are refused (no database error), none left
            int granted = 0;
            for (var d : decisions) if (d.get() instanceof QuotaDecision.Granted) granted++;
            assertThat(granted).isEqualTo(2);
            assertThat(processes.getLast().view(sol).extra()).isZero();
        }
    }
}
