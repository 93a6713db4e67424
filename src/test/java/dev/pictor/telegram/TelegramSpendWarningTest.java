package dev.pictor.telegram;

import dev.pictor.quota.SpendSettings;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 80 % warning of a group's daily spend cap, end to end over the real SQLite caps: the admins read it once a day,
 * in the chat where an admin command last succeeded (the group, or an admin's private chat with the bot), in the
 * group's language; a command nobody may run there never moves it. An image costs 0.04 USD on imagen-4 here.
 */
class TelegramSpendWarningTest {
    static final User BOB = new User(102, "Bob", null);
    static final User ADMIN = new User(TelegramHarness.ADMIN_ID, "Ada", "ada");
    static final Chat GROUP = Chat.group(-1007777, "Painters");
    static final Chat ADMIN_DM = Chat.privateWith(ADMIN);
    static final Chat BOB_DM = Chat.privateWith(BOB);
    static final Predicate<Sent> FRENCH_WARNING = m -> m.kind.equals("text") && m.text.startsWith("À l’attention des admins");
    static final Predicate<Sent> ENGLISH_WARNING = m -> m.kind.equals("text") && m.text.startsWith("Heads-up for this group's admins");

    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    TelegramHarness start(SpendSettings spend) throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("big", List.of("100/1d")), "big", List.of("100/1d"));
        h.spend = spend;
        return h.start();
    }

    private void admin(Chat chat, String command) {
        int id = h.telegram.says(chat, ADMIN, command);
        h.telegram.awaitBotMessage(chat.id(), m -> m.replyTo != null && m.replyTo == id);
    }

    private String answerTo(Chat chat, User who, String command) {
        int id = h.telegram.says(chat, who, command);
        return h.telegram.awaitBotMessage(chat.id(), m -> m.replyTo != null && m.replyTo == id).text;
    }

    /** Bob asks for {@code images} in the group and gets them. */
    private void bobMakes(String prompt, int images) {
        int before = (int) h.telegram.botMessages(GROUP.id()).stream().filter(m -> m.kind.equals("photo")).count();
        h.telegram.says(GROUP, BOB, "/imagine " + prompt + (images > 1 ? " --n " + images : ""));
        h.telegram.awaitBotMessages(GROUP.id(), before + images, m -> m.kind.equals("photo"));
    }

    private long count(Chat chat, Predicate<Sent> which) {
        return h.telegram.botMessages(chat.id()).stream().filter(which).count();
    }

    @Test
    void theJobThatPassesEightyPercent_warnsTheAdminsOnce_inTheChatOfTheirLastCommand_inTheGroupsLanguage() throws Exception {
        start(null);
        // given the admin set the group's language and a cap of 0.20 USD there, then read the figures in private
        admin(GROUP, "/language fr");
        admin(GROUP, "/spendcap 0.20");
        admin(ADMIN_DM, "/stats");

        // when Bob's four images (0.16 USD, 80 % of the cap) are made in the group
        bobMakes("a kite", 4);

        // then the admin reads the warning in the private chat, in French, naming the cap, the spend and the reset
        Sent warning = h.telegram.awaitBotMessage(ADMIN_DM.id(), FRENCH_WARNING);
        assertThat(warning.text).contains("de ce groupe", "0,16 USD", "0,20 USD", "réinitialisation dans");
        assertThat(count(GROUP, FRENCH_WARNING)).as("nothing about money in the group itself").isZero();

        // and Bob's next image the same day (0.20 USD, within the cap) warns nobody again
        bobMakes("a second kite", 1);
        assertThat(count(ADMIN_DM, FRENCH_WARNING)).isEqualTo(1);
        assertThat(count(GROUP, FRENCH_WARNING)).isZero();
    }

    @Test
    void aMembersAdminCommand_isRefused_andMovesTheAdminsChatNowhere() throws Exception {
        start(null);
        admin(GROUP, "/spendcap 0.20");
        admin(ADMIN_DM, "/stats");

        // when Bob, no admin, sends admin commands in the group and in his private chat with the bot
        assertThat(answerTo(GROUP, BOB, "/spendcap 1000")).contains("Only the bot's admins");
        assertThat(answerTo(BOB_DM, BOB, "/stats")).contains("Only the bot's admins");
        // and the admin sends one that does nothing (no amount) in the group
        assertThat(answerTo(GROUP, ADMIN, "/spendcap")).startsWith("Admin commands");

        bobMakes("a kite", 4);

        // then the warning still reaches the admin's private chat, and neither the group nor Bob
        h.telegram.awaitBotMessage(ADMIN_DM.id(), ENGLISH_WARNING);
        assertThat(count(GROUP, ENGLISH_WARNING)).isZero();
        assertThat(count(BOB_DM, ENGLISH_WARNING)).isZero();
    }

    @Test
    void withNoAdminCommandYet_theWarningIsPostedInTheGroupItself() throws Exception {
        // given a cap of 0.20 USD for every community from the configuration, and no admin command ever
        start(new SpendSettings("USD", new SpendSettings.Caps(null, new BigDecimal("0.20"), null), Map.of(), ZoneOffset.UTC, true));

        bobMakes("a kite", 4);

        Sent warning = h.telegram.awaitBotMessage(GROUP.id(), ENGLISH_WARNING);
        assertThat(warning.text).contains("spent 0.16 USD today", "daily spend cap of 0.20 USD", "resets in");
        assertThat(warning.replyTo).isNull();
    }
}
