package dev.pictor.quota;

import dev.pictor.core.Platform;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.text.Messages;
import dev.pictor.store.Database;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily spend caps on every layer (member, community, bot): a reservation holds the expected cost, a settlement
 * replaces it by the real cost, a refund releases it, the day resets at midnight in the configured zone, and jobs
 * reserving at once through two processes never pass a cap together.
 */
abstract class SpendCapsContract {
    @TempDir
    Path dir;
    /** 18:40 UTC is 23:40 in Asia/Karachi (UTC+5): that day resets in 20 min. */
    private final MutableClock clock = MutableClock.at("2026-03-10T18:40:00Z");
    private final List<Database> opened = new ArrayList<>();
    private final List<String> warned = new CopyOnWriteArrayList<>();

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private SpendCaps open(SpendSettings settings) {
        Database db = Database.open(url());
        opened.add(db);
        return new SpendCaps(db, settings, clock, w -> warned.add(w.community() + " " + w.spent() + "/" + w.cap()));
    }

    private static SpendSettings caps(String member, String community, String bot) {
        return new SpendSettings("USD", new SpendSettings.Caps(amount(member), amount(community), amount(bot)), Map.of(),
                ZoneId.of("Asia/Karachi"));
    }

    private static BigDecimal amount(String a) {
        return a == null ? null : new BigDecimal(a);
    }

    private static Requester member(String user) {
        return new Requester(Platform.DISCORD, user, user, "g1", "art-bot", null);
    }

    private static String said(Optional<Refusal> refusal) {
        return refusal.orElseThrow().message(Messages.ENGLISH);
    }

    @Test
    void a_member_under_their_cap_is_held_and_the_job_that_would_pass_it_is_refused_naming_their_cap_and_the_reset() {
        // given a member cap of 0.50 a day
        SpendCaps spend = open(caps("0.50", null, null));

        // when alice reserves 0.20 twice, then 0.20 more
        assertThat(spend.reserve("j1", member("alice"), 0.20)).isEmpty();
        assertThat(spend.reserve("j2", member("alice"), 0.20)).isEmpty();
        Optional<Refusal> third = spend.reserve("j3", member("alice"), 0.20);

        // then the third would pass 0.50: she is told it is her cap, and that it resets in 20 min (Karachi midnight)
        assertThat(said(third)).contains("your daily spend cap of 0.50 USD").contains("nothing was charged").contains("20 min");
        assertThat(third.orElseThrow().retryAfter()).isEqualTo(Duration.ofMinutes(20));
        assertThat(spend.spentToday(member("alice"))).isEqualByComparingTo("0.40");
        // and bob, in the same server, has his own cap
        assertThat(spend.reserve("j4", member("bob"), 0.50)).isEmpty();
    }

    @Test
    void settling_replaces_the_reservation_by_the_real_cost_and_a_refund_releases_it() {
        SpendCaps spend = open(caps("1", null, null));
        Requester alice = member("alice");
        spend.reserve("j1", alice, 0.40);
        spend.reserve("j2", alice, 0.40);

        // when the first job really cost 0.10 and the second failed (refunded)
        spend.settle("j1", 0.10);
        spend.release("j2");

        // then only 0.10 counts, a second settlement or release of the same job changes nothing
        assertThat(spend.spentToday(alice)).isEqualByComparingTo("0.10");
        spend.release("j1");
        spend.settle("j2", 5);
        assertThat(spend.spentToday(alice)).isEqualByComparingTo("0.10");
        // and the room released is there again: 0.90 more fits, 0.91 does not
        assertThat(spend.reserve("j3", alice, 0.91)).isPresent();
        assertThat(spend.reserve("j4", alice, 0.90)).isEmpty();
    }

    @Test
    void a_refused_reservation_holds_on_no_layer_at_all() {
        // given a community cap of 1 and a member cap of 5
        SpendCaps spend = open(caps("5", "1", null));
        spend.reserve("j1", member("alice"), 0.80);

        // when bob asks for 0.30 (his own cap has room; the server's does not)
        Optional<Refusal> refused = spend.reserve("j2", member("bob"), 0.30);

        // then he is told it is the server's cap, and nothing was counted for him either
        assertThat(said(refused)).contains("this server's daily spend cap of 1.00 USD");
        assertThat(spend.spentToday(member("bob"))).isEqualByComparingTo("0");
        assertThat(spend.spent(SpendCaps.communitySubject("discord:g1"), null)).isEqualByComparingTo("0.80");
    }

    @Test
    void the_bots_cap_counts_every_community() {
        SpendCaps spend = open(caps(null, null, "1"));
        assertThat(spend.reserve("j1", new Requester(Platform.DISCORD, "a", "a", "g1", "art-bot", null), 0.60)).isEmpty();
        Optional<Refusal> refused = spend.reserve("j2", new Requester(Platform.DISCORD, "b", "b", "g2", "art-bot", null), 0.60);
        assertThat(said(refused)).contains("the bot's daily spend cap of 1.00 USD");
    }

    @Test
    void the_day_resets_at_midnight_in_the_configured_zone_not_in_utc() {
        SpendCaps spend = open(caps("0.50", null, null));
        Requester alice = member("alice");
        spend.reserve("j1", alice, 0.50);
        assertThat(spend.reserve("j2", alice, 0.10)).isPresent();

        // when it is 00:00 in Karachi (19:00 UTC, still the same UTC day)
        clock.advance(Duration.ofMinutes(20));

        // then her cap is whole again
        assertThat(spend.reserve("j3", alice, 0.50)).isEmpty();
        // and the job of yesterday, settled today, is counted on yesterday
        spend.settle("j1", 0.20);
        assertThat(spend.spentToday(alice)).isEqualByComparingTo("0.50");
        assertThat(spend.spent(SpendCaps.memberSubject(alice), "2026-03-10")).isEqualByComparingTo("0.20");
    }

    @Test
    void an_admins_cap_for_one_community_overrides_the_default_and_off_removes_it() {
        SpendCaps spend = open(caps(null, "1", null));
        assertThat(spend.setCap("cli:ops", Platform.DISCORD, "g1", "0.50").message(Messages.ENGLISH))
                .contains("daily spend cap of 0.50 USD");
        assertThat(spend.reserve("j1", member("alice"), 0.60)).isPresent();

        spend.setCap("cli:ops", Platform.DISCORD, "g1", "off");
        assertThat(spend.reserve("j2", member("alice"), 3)).isEmpty();

        spend.setCap("cli:ops", Platform.DISCORD, "g1", "default");
        assertThat(spend.reserve("j3", member("alice"), 0.01)).isPresent(); // 3 already spent, default cap 1

        assertThat(spend.setCap("cli:ops", Platform.DISCORD, "g1", "lots").done()).isFalse();
        assertThat(spend.setCap("cli:ops", Platform.DISCORD, "g1", "-1").done()).isFalse();
    }

    @Test
    void the_admins_are_warned_once_a_day_when_a_community_passes_80_percent_of_its_cap() {
        SpendCaps spend = open(caps(null, "1", null));
        spend.reserve("j1", member("alice"), 0.70);
        assertThat(warned).isEmpty();

        // when a job takes the server to 0.80, then another further
        spend.reserve("j2", member("bob"), 0.10);
        spend.reserve("j3", member("bob"), 0.10);

        // then one warning
        assertThat(warned).containsExactly("discord:g1 0.8/1");

        // and the next day, again once
        clock.advance(Duration.ofHours(1));
        spend.reserve("j4", member("alice"), 0.85);
        assertThat(warned).hasSize(2);
    }

    @Test
    void forty_jobs_reserving_at_once_through_two_processes_never_pass_the_communitys_cap() throws Exception {
        // given a server cap of 1.00 and two processes on the same store
        SpendSettings settings = caps(null, "1", null);
        List<SpendCaps> processes = List.of(open(settings), open(settings));
        int jobs = 40;
        var barrier = new CyclicBarrier(16);
        var held = new ArrayList<Future<Boolean>>();

        // when 40 jobs of 0.10 each reserve at once on 16 threads
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < jobs; i++) {
                SpendCaps spend = processes.get(i % 2);
                String job = "j" + i;
                Requester who = member("m" + i);
                boolean first = i < 16;
                held.add(pool.submit((Callable<Boolean>) () -> {
                    if (first) barrier.await();
                    return spend.reserve(job, who, 0.10).isEmpty();
                }));
            }
            int passed = 0;
            for (Future<Boolean> f : held) if (f.get()) passed++;

            // then exactly ten were held and the server has spent exactly its cap
            assertThat(passed).isEqualTo(10);
            assertThat(processes.getFirst().spent(SpendCaps.communitySubject("discord:g1"), null)).isEqualByComparingTo("1");
        }
    }
}
