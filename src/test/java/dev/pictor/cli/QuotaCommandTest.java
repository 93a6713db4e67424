package dev.pictor.cli;

import dev.pictor.core.Platform;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor quota …} on the shipped configuration, with the database in a temporary directory. */
class QuotaCommandTest {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
    }

    private CliRun quota(String... args) {
        var all = new java.util.ArrayList<>(List.of("quota"));
        all.addAll(List.of(args));
        return CliRun.of(env(), all.toArray(String[]::new));
    }

    @Test
    void show_prints_the_plan_and_what_is_left_of_each_limit() {
        var run = quota("show", "telegram:1234", "--bot", "telegram", "--community", "-1001");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                telegram:1234
                Your plan: free
                • 3 per minute: all 3 left
                • 25 per day: all 25 left
                Shared by this group:
                • 100 per day: all 100 left
                You have spent 0.00 USD today.
                """);
    }

    @Test
    void each_change_answers_in_a_sentence_and_is_audited_with_who_made_it() {
        assertThat(quota("plan", "discord:1234", "supporter", "--as", "discord:42").out())
                .isEqualTo("discord:1234 now has the plan supporter (5/1m, 100/1d).\n");
        assertThat(quota("grant", "discord:1234", "10", "--as", "discord:42").out())
                .isEqualTo("discord:1234 got 10 extra images (10 extra in all), used once their plan runs out.\n");
        assertThat(quota("block", "discord:1234", "--reason", "spam", "--as", "discord:42").exitCode()).isZero();
        assertThat(quota("unblock", "discord:1234", "--as", "discord:42").exitCode()).isZero();
        assertThat(quota("reset", "discord:1234").exitCode()).isZero();

        var show = quota("show", "discord:1234");
        assertThat(show.out()).contains("Your plan: supporter", "• 10 extra images from an admin")
                .contains("cli:" + System.getProperty("user.name") + " reset")
                .contains("discord:42 unblock")
                .contains("discord:42 block spam")
                .contains("discord:42 grant +10")
                .contains("discord:42 set-plan supporter");
    }

    @Test
    void a_block_from_the_terminal_stops_a_bot_using_the_same_database() {
        assertThat(quota("block", "telegram:77").exitCode()).isZero();

        try (Database db = Database.open(env().get("PICTOR_STORAGE_URL"))) {
            var bot = new BucketQuota(db, QuotaSettings.of(Map.of("free", List.of("3/1m", "25/1d")), "free"),
                    Clock.systemUTC(), ChargeJournal.NONE);
            var decision = bot.charge(Requester.of(Platform.TELEGRAM, "77"), 1);
            assertThat(decision).isInstanceOfSatisfying(QuotaDecision.Denied.class,
                    d -> assertThat(d.refusal().reason()).isEqualTo(Refusal.Reason.BLOCKED));
        }
        assertThat(quota("unblock", "telegram:77").exitCode()).isZero();
    }

    @Test
    void pools_are_set_turned_off_and_given_back_to_the_bot_default() {
        assertThat(quota("pool", "discord:999", "50/1d").out()).isEqualTo("This server discord:999 now shares 50/1d.\n");
        assertThat(quota("show", "discord:1", "--community", "999", "--bot", "discord").out()).contains("• 50 per day: all 50 left");
        assertThat(quota("pool", "discord:999", "--off").out()).isEqualTo("This server discord:999 has no shared pool now.\n");
        assertThat(quota("show", "discord:1", "--community", "999", "--bot", "discord").out()).doesNotContain("Shared by");
        assertThat(quota("pool", "discord:999", "--default").exitCode()).isZero();
        assertThat(quota("show", "discord:1", "--community", "999", "--bot", "discord").out()).contains("• 300 per day: all 300 left");
    }

    @Test
    void a_communitys_language_is_set_refused_when_not_shipped_and_given_back_to_the_bot() {
        assertThat(quota("language", "telegram:-1001234", "pt-BR").out())
                .isEqualTo("This group telegram:-1001234 now speaks pt-BR to members whose own language pictor does not speak.\n");
        var unknown = quota("language", "telegram:-1001234", "klingon");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(unknown.err()).isEqualTo("pictor does not speak \"klingon\"; it speaks en, es, de, fr, pt-BR, ru, ja.\n");
        assertThat(quota("language", "telegram:-1001234", "default").out())
                .isEqualTo("This group telegram:-1001234 is back on its bot's language.\n");
    }

    @Test
    void pools_and_plans_take_the_words_the_chat_commands_take() {
        // the same vocabulary as /pictor pool on Discord and /pool on Telegram
        assertThat(quota("pool", "discord:999", "300/1d,", "40/1h").out()).isEqualTo("This server discord:999 now shares 300/1d, 40/1h.\n");
        assertThat(quota("pool", "discord:999", "none").out()).isEqualTo("This server discord:999 has no shared pool now.\n");
        assertThat(quota("pool", "discord:999", "default").exitCode()).isZero();
        assertThat(quota("show", "discord:1", "--community", "999", "--bot", "discord").out()).contains("• 300 per day: all 300 left");
        assertThat(quota("plan", "discord:1234", "supporter").exitCode()).isZero();
        assertThat(quota("plan", "discord:1234", "default").out()).isEqualTo("discord:1234 is back on their role or default plan.\n");
    }

    @Test
    void mistakes_are_refused_with_the_reason_on_stderr() {
        var unknown = quota("plan", "discord:1", "gold");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(unknown.err()).isEqualTo("There is no plan \"gold\". Plans: free, supporter, community.\n");

        var badMember = quota("grant", "1234", "5");
        assertThat(badMember.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badMember.err()).contains("MEMBER is platform:user, e.g. discord:1234, not \"1234\"");

        assertThat(quota("pool", "discord:9", "50/1d", "--off").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(quota("pool", "discord:9", "lots").err()).contains("\"lots\" is not a limit");
    }

    @Test
    void a_member_that_can_never_match_anyone_is_a_usage_mistake_and_nothing_is_changed() {
        // when an admin names a platform pictor does not run, or a Telegram @username instead of the numeric id
        var slack = quota("plan", "slack:bob", "supporter");
        var username = quota("plan", "telegram:@ann", "supporter");
        var name = quota("grant", "discord:bob", "10");
        var group = quota("pool", "telegram:@ourgroup", "200/1d");
        // then
        assertThat(slack.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(slack.err()).contains("slack:bob: unknown platform \"slack\" (known: discord, telegram, cli)");
        assertThat(username.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(username.err()).contains("telegram:@ann: a Telegram member is their numeric user id, e.g. telegram:123456789"
                + " (bots such as @userinfobot show it), not an @username");
        assertThat(name.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err()).contains("discord:bob: a Discord member is their numeric user id");
        assertThat(group.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(group.err()).contains("telegram:@ourgroup: a Telegram group is its numeric chat id, e.g. telegram:-1001234567890");
        // and the audit log shows no change
        var show = quota("show", "telegram:1234");
        assertThat(show.out()).doesNotContain("Recent admin actions");
        assertThat(quota("show", "telegram:@ann").exitCode()).isEqualTo(ExitCodes.USAGE);
        // while numeric ids, negative group ids and terminal members still work
        assertThat(quota("plan", "telegram:1234", "supporter").exitCode()).isZero();
        assertThat(quota("pool", "telegram:-1001234567890", "200/1d").exitCode()).isZero();
        assertThat(quota("grant", "cli:ann", "2").exitCode()).isZero();
    }
}
