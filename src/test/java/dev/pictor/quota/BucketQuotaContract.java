package dev.pictor.quota;

import java.util.Locale;

import dev.pictor.core.Platform;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort.Member;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaView;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

abstract class BucketQuotaContract {
    @TempDir
    Path dir;

    /** The database URL of this test: a file in {@link #dir}, or a fresh PostgreSQL schema; the same on every call. */
    abstract String url();
    // 20:48 UTC: the daily allowance comes back at midnight, in 3 h 12 min
    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private Database db;
    private BucketQuota quota;

    private BucketQuota open() {
        db = Database.open(url());
        quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ChargeJournal.NONE);
        return quota;
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    private static Requester withRole(String user, String rolePlan) {
        return new Requester(Platform.DISCORD, user, user, "g1", "plain-bot", rolePlan);
    }

    private static Refusal refusal(QuotaDecision d) {
        assertThat(d).isInstanceOf(QuotaDecision.Denied.class);
        return ((QuotaDecision.Denied) d).refusal();
    }

    private static long remaining(QuotaView view, String limit) {
        return view.limits().stream().filter(l -> l.name().equals(limit)).findFirst().orElseThrow().remaining();
    }

    @Test
    void burst_limit_refuses_the_fourth_image_in_a_minute_and_gives_one_back_every_20_seconds() {
        open();
        var alice = member("alice");
        for (int i = 0; i < 3; i++) assertThat(quota.charge(alice, 1)).isInstanceOf(QuotaDecision.Granted.class);

        Refusal r = refusal(quota.charge(alice, 1));
        assertThat(r.reason()).isEqualTo(Refusal.Reason.QUOTA_SPENT);
        assertThat(r.message(Locale.ENGLISH)).isEqualTo("You have used your 3 images for this minute; the next one comes back in 20 s.");
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        assertThat(quota.charge(alice, 1)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(quota.charge(alice, 1)).isInstanceOf(QuotaDecision.Denied.class);
    }

    @Test
    void daily_allowance_is_spent_until_midnight_utc_then_comes_back_whole() {
        open();
        var bob = withRole("bob", "trial"); // 2/1d
        assertThat(quota.charge(bob, 2)).isInstanceOf(QuotaDecision.Granted.class);

        Refusal r = refusal(quota.charge(bob, 1));
        assertThat(r.message(Locale.ENGLISH)).isEqualTo("You have used your 2 images for today; the next one comes back in 3 h 12 min.");
        assertThat(r.retryAfter()).isEqualTo(Duration.ofMinutes(192));

        clock.advance(Duration.ofHours(3).plusMinutes(11));
        assertThat(quota.charge(bob, 1)).isInstanceOf(QuotaDecision.Denied.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(quota.charge(bob, 2)).isInstanceOf(QuotaDecision.Granted.class);
    }

    @Test
    void asking_for_more_than_is_left_says_how_many_are_left_and_charges_nothing() {
        open();
        var alice = member("alice");
        quota.charge(alice, 2);

        Refusal r = refusal(quota.charge(alice, 3));
        assertThat(r.message(Locale.ENGLISH)).isEqualTo("You asked for 3 images but have 1 left for this minute; ask for 1 or wait 40 s.");
        assertThat(remaining(quota.view(alice), "3/1m")).isEqualTo(1);
        assertThat(remaining(quota.view(alice), "25/1d")).isEqualTo(23);
    }

    @Test
    void asking_for_more_than_the_plan_ever_allows_at_once_says_the_limit() {
        open();
        Refusal r = refusal(quota.charge(member("alice"), 4));
        assertThat(r.message(Locale.ENGLISH)).isEqualTo("Your plan allows at most 3 images per minute; ask for 3 or fewer.");
        assertThat(r.retryAfter()).isNull();
    }

    @Test
    void a_refund_restores_every_layer_it_charged() {
        open();
        var carol = member("carol", "capped-bot"); // member 3/1m+25/1d, bot cap 6/1d
        var grant = (QuotaDecision.Granted) quota.charge(carol, 3);
        assertThat(grant.layers()).containsExactly("member:discord:carol", "bot:capped-bot");

        quota.refund(grant, 2);

        assertThat(remaining(quota.view(carol), "3/1m")).isEqualTo(2);
        assertThat(remaining(quota.view(carol), "25/1d")).isEqualTo(24);
        // the bot's cap got 2 back too: 6 - 1 = 5 left, so dave may take 3 and then 2 more, not 3
        var dave = member("dave", "capped-bot");
        assertThat(quota.charge(dave, 3)).isInstanceOf(QuotaDecision.Granted.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(quota.charge(dave, 3)).isInstanceOf(QuotaDecision.Denied.class);
        assertThat(quota.charge(dave, 2)).isInstanceOf(QuotaDecision.Granted.class);
    }

    @Test
    void when_the_community_pool_refuses_the_member_is_charged_nothing() {
        open();
        // the pool of server g1 shares 10/1d; eve, frank, gina and hal use 9 of it
        for (String u : List.of("eve", "frank", "gina")) quota.charge(member(u, "pool-bot"), 3);
        var hal = member("hal", "pool-bot");

        Refusal r = refusal(quota.charge(hal, 2));

        assertThat(r.message(Locale.ENGLISH)).isEqualTo("You asked for 2 images but only 1 is left of this server's shared 10 for today; ask for 1 or wait 3 h 12 min.");
        QuotaView view = quota.view(hal);
        assertThat(remaining(view, "3/1m")).isEqualTo(3);
        assertThat(remaining(view, "25/1d")).isEqualTo(25);
        assertThat(view.pool()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("10/1d");
            assertThat(l.remaining()).isEqualTo(1);
            assertThat(l.nextIn()).isEqualTo(Duration.ofMinutes(192));
        });
    }

    @Test
    void the_bot_daily_cap_refuses_once_the_whole_bot_made_its_images() {
        open();
        quota.charge(member("a", "capped-bot"), 3);
        quota.charge(member("b", "capped-bot"), 3);
        Refusal r = refusal(quota.charge(member("c", "capped-bot"), 1));
        assertThat(r.message(Locale.ENGLISH)).isEqualTo("This bot has made its 6 images for today; the next one comes back in 3 h 12 min.");
    }

    @Test
    void the_view_tells_each_limit_its_remaining_next_and_full_times() {
        open();
        var alice = member("alice");
        quota.charge(alice, 2);

        QuotaView view = quota.view(alice);

        assertThat(view.plan()).isEqualTo("default");
        assertThat(view.blocked()).isFalse();
        assertThat(view.limits()).containsExactly(
                new QuotaView.Limit("3/1m", 3, 1, Duration.ofSeconds(20), Duration.ofSeconds(40)),
                new QuotaView.Limit("25/1d", 25, 23, Duration.ofMinutes(192), Duration.ofMinutes(192)));
        assertThat(view.pool()).isEmpty();
    }

    @Test
    void a_role_plan_applies_and_an_admin_override_wins_over_it() {
        open();
        var ivy = withRole("ivy", "vip");
        assertThat(quota.view(ivy).plan()).isEqualTo("vip");
        quota.setPlan("discord:admin", new Member(Platform.DISCORD, "ivy"), "trial");
        assertThat(quota.view(ivy).plan()).isEqualTo("trial");
        quota.setPlan("discord:admin", new Member(Platform.DISCORD, "ivy"), null);
        assertThat(quota.view(ivy).plan()).isEqualTo("vip");
        assertThat(quota.view(member("ivy")).plan()).isEqualTo("default");
    }

    @Test
    void an_upgrade_keeps_the_images_used_today_and_a_downgrade_keeps_what_is_left_up_to_the_new_limit() {
        open();
        var jo = member("jo");
        quota.charge(jo, 3);
        clock.advance(Duration.ofMinutes(1));
        quota.charge(jo, 3); // 6 of 25 used today

        quota.setPlan("discord:admin", new Member(Platform.DISCORD, "jo"), "vip");
        assertThat(remaining(quota.view(jo), "100/1d")).isEqualTo(94);

        quota.setPlan("discord:admin", new Member(Platform.DISCORD, "jo"), "trial");
        assertThat(remaining(quota.view(jo), "2/1d")).isEqualTo(2);
        assertThat(quota.view(jo).limits()).hasSize(1);
    }

    @Test
    void a_blocked_member_is_refused_until_unblocked_and_both_are_audited() {
        open();
        var kim = new Member(Platform.DISCORD, "kim");
        assertThat(quota.block("discord:admin", kim, "spam").done()).isTrue();

        Refusal r = refusal(quota.charge(member("kim"), 1));
        assertThat(r.reason()).isEqualTo(Refusal.Reason.BLOCKED);
        assertThat(quota.view(member("kim")).blocked()).isTrue();

        quota.unblock("discord:admin", kim);
        assertThat(quota.charge(member("kim"), 1)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(quota.audit("discord:kim", 10)).extracting(e -> e.action() + " " + e.detail())
                .containsExactly("unblock null", "block spam");
    }

    @Test
    void extra_images_are_spent_after_the_plan_runs_out_and_refunds_go_back_to_them() {
        open();
        var lee = withRole("lee", "trial"); // 2/1d
        quota.charge(lee, 2);
        var result = quota.grant("telegram:42", new Member(Platform.DISCORD, "lee"), 3);
        assertThat(result.message(Locale.ENGLISH)).isEqualTo("discord:lee got 3 extra images (3 extra in all), used once their plan runs out.");

        var grant = (QuotaDecision.Granted) quota.charge(lee, 2);
        assertThat(grant.layers()).containsExactly("extra:member:discord:lee");
        assertThat(quota.view(lee).extra()).isEqualTo(1);
        quota.refund(grant, 2);
        assertThat(quota.view(lee).extra()).isEqualTo(3);

        // extra images do not expire at midnight, and the plan is used first again once it refills
        clock.advance(Duration.ofDays(1));
        var next = (QuotaDecision.Granted) quota.charge(lee, 1);
        assertThat(next.layers()).containsExactly("member:discord:lee");
        assertThat(quota.view(lee).extra()).isEqualTo(3);
    }

    @Test
    void a_reset_gives_the_full_allowance_back() {
        open();
        var max = member("max");
        quota.charge(max, 3);
        quota.reset("discord:admin", new Member(Platform.DISCORD, "max"));
        assertThat(remaining(quota.view(max), "3/1m")).isEqualTo(3);
        assertThat(remaining(quota.view(max), "25/1d")).isEqualTo(25);
        assertThat(quota.audit("discord:max", 1)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("reset");
            assertThat(e.actor()).isEqualTo("discord:admin");
            assertThat(e.at()).isEqualTo(clock.instant());
        });
    }

    @Test
    void an_admin_sets_a_community_pool_or_turns_it_off() {
        open();
        var ned = member("ned"); // plain-bot: no pool by default
        assertThat(quota.view(ned).pool()).isEmpty();

        assertThat(quota.setPool("discord:admin", Platform.DISCORD, "g1", List.of("2/1d")).message(Locale.ENGLISH))
                .isEqualTo("This server discord:g1 now shares 2/1d.");
        assertThat(quota.charge(ned, 2)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(refusal(quota.charge(member("ola"), 1)).message(Locale.ENGLISH))
                .isEqualTo("This server has used its 2 shared images for today; the next one comes back in 3 h 12 min.");

        quota.setPool("discord:admin", Platform.DISCORD, "g1", List.of());
        assertThat(quota.charge(member("ola"), 1)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(quota.setPool("discord:admin", Platform.DISCORD, "g1", List.of("lots")).done()).isFalse();
        assertThat(quota.audit("discord:g1", 10)).extracting(e -> e.detail()).containsExactly("(none)", "2/1d");
    }

    @Test
    void unknown_plans_and_silly_grants_are_refused_without_an_audit_row() {
        open();
        var pat = new Member(Platform.DISCORD, "pat");
        assertThat(quota.setPlan("discord:admin", pat, "gold").message(Locale.ENGLISH)).isEqualTo("There is no plan \"gold\". Plans: default, vip, trial.");
        assertThat(quota.grant("discord:admin", pat, 0).done()).isFalse();
        assertThat(quota.audit(null, 10)).isEmpty();
    }

    @Test
    void a_restart_keeps_every_allowance_exactly() {
        open();
        var alice = member("alice", "pool-bot");
        quota.charge(alice, 2);
        quota.grant("discord:admin", new Member(Platform.DISCORD, "alice"), 5);
        QuotaView before = quota.view(alice);
        db.close();

        open();
        assertThat(quota.view(alice)).isEqualTo(before);
        assertThat(quota.charge(alice, 1)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(quota.charge(alice, 1)).isInstanceOf(QuotaDecision.Granted.class); // paid from extra
        assertThat(quota.view(alice).extra()).isEqualTo(4);
    }

    @Test
    void idle_buckets_are_deleted_once_full_for_an_hour_which_changes_no_allowance() {
        open();
        quota.charge(member("quin"), 1);  // 25/1d: full again at midnight
        quota.charge(member("rae"), 3);
        clock.advance(Duration.ofHours(4));
        assertThat(quota.purgeIdle()).isZero();  // refilled 12 min ago: kept for an hour
        clock.advance(Duration.ofHours(1));
        assertThat(quota.purgeIdle()).isEqualTo(2);
        assertThat(remaining(quota.view(member("rae")), "25/1d")).isEqualTo(25);
    }
}
