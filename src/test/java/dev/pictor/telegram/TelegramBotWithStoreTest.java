package dev.pictor.telegram;

import dev.pictor.core.Platform;

import dev.pictor.core.JobStatus;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobView;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Telegram adapter over the real SQLite quota and ledger: buttons across a real restart (the database closed
 * and opened again under a new service and adapter), the admins' commands, and {@code /quota} as the quota sees it.
 */
class TelegramBotWithStoreTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    static final User ADMIN = new User(TelegramHarness.ADMIN_ID, "Ada", "ada");
    static final Chat ALICE_DM = Chat.privateWith(ALICE);
    static final Chat GROUP = Chat.group(-1005555, "Painters");

    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    TelegramHarness start() throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("3/1m", "25/1d"), "vip", List.of("100/1d")), "basic",
                List.of("50/1d")).start();
        return h;
    }


    JobView job(String prompt) {
        return h.ledgerPort().find(jobIdOf(prompt)).orElseThrow();
    }

    String jobIdOf(String prompt) {
        for (Sent s : h.telegram.botMessages(ALICE_DM.id())) {
            if (s.caption != null && s.caption.startsWith(prompt) && s.button("Details") != null) {
                return ButtonIds.parse(s.button("Details")).jobId();
            }
        }
        throw new AssertionError("no result for " + prompt);
    }

    @Test
    void buttons_workAfterARealRestart_onTheSqliteLedger() throws Exception {
        // given Alice's picture, recorded in the SQLite ledger
        start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine a lighthouse at dawn --seed 42");
        Sent photo = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        TelegramHarness.await(() -> job("a lighthouse at dawn").status().terminal() ? 1 : 0, 1, "closed job");
        // when pictor restarts: adapter, service and database closed, then opened again on the same file
        h.restart();
        // then Details on the old picture reads what the ledger kept
        h.telegram.awaitAnswer(h.telegram.presses(ALICE, photo, photo.button("Details")));
        Sent details = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.startsWith("Details"));
        assertThat(details.text).contains("Seed: 42", "imagen-4 via aiml", "Revised prompt: an enhanced a lighthouse at dawn");
        // and Re-roll makes a new picture with another seed, recorded as a new job
        h.telegram.awaitAnswer(h.telegram.presses(ALICE, photo, photo.button("Re-roll")));
        Sent second = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo") && m.messageId != photo.messageId);
        String rerolled = ButtonIds.parse(second.button("Details")).jobId();
        TelegramHarness.await(() -> h.ledgerPort().find(rerolled).map(j -> j.status().terminal() ? 1 : 0).orElse(0), 1, "closed re-roll");
        assertThat(h.ledgerPort().find(rerolled).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.provider.calls.get(1).seed()).isNotNull().isNotEqualTo(42L);
        // and Delete still knows Alice asked for the first one
        h.telegram.awaitAnswer(h.telegram.presses(ALICE, photo, photo.button("Delete")));
        assertThat(photo.deleted).isTrue();
    }

    @Test
    void quota_showsThePlanTheGroupPoolAndWhatIsLeft() throws Exception {
        start();
        h.telegram.says(GROUP, BOB, "/imagine a kite --n 2");
        h.telegram.awaitBotMessages(GROUP.id(), 2, m -> m.kind.equals("photo"));
        h.telegram.says(GROUP, BOB, "/quota");
        Sent quota = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("text") && m.text.startsWith("Your plan"));
        assertThat(quota.text).contains("Your plan: basic", "1 left", "23 left", "Shared by this group", "48 left");
    }

    @Test
    void admins_blockAndUnblockByReply_grantAndSetPlansById_othersMayNot() throws Exception {
        start();
        // when Bob (not an admin) tries to block someone
        int bobsTry = h.telegram.says(GROUP, BOB, "/block 101");
        // then he is told it is for admins
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == bobsTry).text)
                .contains("Only the bot's admins");

        // when the admin replies to Bob's message with /block
        int bobsMessage = h.telegram.says(GROUP, BOB, "hello all");
        int block = h.telegram.replies(GROUP, ADMIN, h.telegram.message(GROUP.id(), bobsMessage), "/block spamming");
        h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == block);
        // then Bob's requests are refused without reaching the provider
        int refused = h.telegram.says(GROUP, BOB, "/imagine a fox");
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == refused).text)
                .contains("paused");
        assertThat(h.provider.calls).isEmpty();

        // when the admin unblocks him by id, grants him 5 and moves him to vip
        for (String cmd : List.of("/unblock 102", "/grant 102 5", "/plan 102 vip", "/plan 102 gold")) {
            int id = h.telegram.says(GROUP, ADMIN, cmd);
            h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == id);
        }
        // then every change is in the audit log, an unknown plan is explained, and Bob may ask again
        var audit = h.adminPort().audit("telegram:102", 10);
        assertThat(audit).extracting(AdminPort.AuditEntry::action).containsExactly("set-plan", "grant", "unblock", "block");
        assertThat(audit).allSatisfy(a -> assertThat(a.actor()).isEqualTo("telegram:" + TelegramHarness.ADMIN_ID));
        assertThat(h.telegram.botMessages(GROUP.id()).getLast().text).contains("gold");
        assertThat(h.quotaPort().view(new Requester(Platform.TELEGRAM, "102", "Bob", null, TelegramHarness.PROFILE, null)).plan())
                .isEqualTo("vip");
        h.telegram.says(GROUP, BOB, "/imagine a fox");
        h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
    }

    @Test
    void adminsPool_takesTheWordsDiscordTakes_commaSeparatedLimitsNoneAndDefault() throws Exception {
        start();
        // when the admin sets the group's pool as on Discord: limits separated by a comma
        int set = h.telegram.says(GROUP, ADMIN, "/pool 300/1d, 40/1h");
        h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == set);
        // then the group's pool is those two limits
        var audit = h.adminPort().audit("telegram:" + GROUP.id(), 10);
        assertThat(audit).extracting(AdminPort.AuditEntry::detail).containsExactly("300/1d,40/1h");
        // when the admin turns it off with "none", then back to the bot's pool with "default"
        for (String cmd : List.of("/pool none", "/pool default")) {
            int id = h.telegram.says(GROUP, ADMIN, cmd);
            h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == id);
        }
        // then both are done and audited
        assertThat(h.adminPort().audit("telegram:" + GROUP.id(), 10)).extracting(AdminPort.AuditEntry::detail)
                .containsExactly("(bot profile default)", "(none)", "300/1d,40/1h");
    }

    @Test
    void adminsSpendcap_capsTheGroupsDailySpend_andAMemberWhoWouldPassItIsToldWhoseCapAndPaysNothing() throws Exception {
        start();
        // when Bob (not an admin) tries to lift the group's cap, and the admin sends /spendcap in a private chat
        int bobsTry = h.telegram.says(GROUP, BOB, "/spendcap 1000");
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == bobsTry).text)
                .contains("Only the bot's admins");
        Chat adminDm = Chat.privateWith(ADMIN);
        int inDm = h.telegram.says(adminDm, ADMIN, "/spendcap 5");
        assertThat(h.telegram.awaitBotMessage(adminDm.id(), m -> m.replyTo != null && m.replyTo == inDm).text)
                .contains("Send /spendcap in the group");
        assertThat(h.adminPort().audit("telegram:" + GROUP.id(), 10)).isEmpty();

        // when the admin caps the group at 0.05 a day (an image costs 0.04 on imagen-4)
        int set = h.telegram.says(GROUP, ADMIN, "/spendcap 0.05");
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == set).text)
                .isEqualTo("This group telegram:" + GROUP.id() + " now has a daily spend cap of 0.05 USD.");

        // then Bob's first picture is made, and his second would pass the cap: he is told so and charged nothing
        h.telegram.says(GROUP, BOB, "/imagine a kite");
        h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        int second = h.telegram.says(GROUP, BOB, "/imagine a second kite");
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == second && m.kind.equals("text")).text)
                .contains("this group's daily spend cap of 0.05 USD", "nothing was charged", "It resets in");
        assertThat(h.provider.calls).hasSize(1);
        var bob = new Requester(Platform.TELEGRAM, String.valueOf(BOB.id()), "Bob", String.valueOf(GROUP.id()), TelegramHarness.PROFILE, null);
        assertThat(h.quotaPort().view(bob).limits()).extracting(l -> l.remaining()).containsExactly(2L, 24L);
        assertThat(h.adminPort().audit("telegram:" + GROUP.id(), 10)).extracting(AdminPort.AuditEntry::action)
                .containsExactly("set-spend-cap");

        // and /quota shows Bob what he spent today: the one picture, not the refused one
        int asked = h.telegram.says(GROUP, BOB, "/quota");
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == asked).text)
                .contains("Your plan: basic", "You have spent 0.04 USD today.");
    }

    @Test
    void membersOfJobsAStoppedProcessLeftOpen_areToldNothingComes() throws Exception {
        start();
        var requester = new Requester(Platform.TELEGRAM, String.valueOf(ALICE.id()), "Alice", null, TelegramHarness.PROFILE, null);
        var request = new dev.pictor.core.ImagineRequest(requester, "a lost fox", h.catalog.defaultModel(), "1:1", 1, null, true);
        var lost = new JobView("lost-1", request, JobStatus.FAILED, null, null, 0, null, null, java.time.Instant.now(), java.time.Instant.now());
        h.bot.tellInterrupted(List.of(lost));
        Sent told = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        assertThat(told.text).contains("a lost fox").contains("Nothing was charged");
    }
}
