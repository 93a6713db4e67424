package dev.pictor.telegram;

import dev.pictor.core.port.AdminPort;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group's admins choose its language with {@code /language}: stored (SQLite, V6 {@code community_language}), audited,
 * and read for every member of the group whose own language pictor does not ship; {@code /language default} goes
 * back to the bot's.
 */
class TelegramCommunityLanguageTest {
    static final User ADMIN = new User(TelegramHarness.ADMIN_ID, "Ada", "ada");
    static final User KO = new User(101, "Ji-woo", "jiwoo", "ko");
    static final Chat GROUP = Chat.group(-1001234, "Painters");
    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private String answerTo(User user, String text) {
        int asked = h.telegram.says(GROUP, user, text);
        return h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == asked).text;
    }

    @Test
    void givenAnAdminSetsTheGroupsLanguage_thenMembersWhoseLanguageIsNotShippedReadIt_untilItIsSetBackToDefault() throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("25/1d")), "basic", List.of()).start();
        String help = "/help@" + FakeTelegram.BOT_USERNAME;
        assertThat(answerTo(KO, help)).as("nothing chosen: English").contains("/quota — how many images you may still make");

        // the admin's own client sends no language: the answer is in the group's language as it was when they asked
        assertThat(answerTo(ADMIN, "/language de")).isEqualTo("This group telegram:-1001234 now speaks de to members whose own language pictor does not speak.");
        assertThat(answerTo(KO, help)).contains("/quota – wie viele Bilder du noch machen kannst");
        assertThat(answerTo(KO.speaking("ja"), help)).as("a shipped language of her own wins").contains("/quota — あと何枚作れるか");

        assertThat(answerTo(KO, "/language fr")).as("members are not admins").isEqualTo("Nur die Admins des Bots können /language benutzen.");
        assertThat(answerTo(ADMIN, "/language xx")).isEqualTo("pictor spricht kein „xx“; es spricht en, es, de, fr, pt-BR, ru, ja.");
        assertThat(answerTo(ADMIN, "/language default")).isEqualTo("Die Gruppe telegram:-1001234 nutzt wieder die Sprache des Bots.");
        assertThat(answerTo(KO, help)).contains("/quota — how many images you may still make");

        assertThat(h.adminPort().audit("telegram:-1001234", 5)).extracting(AdminPort.AuditEntry::action, AdminPort.AuditEntry::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("set-language", "(bot profile default)"),
                        org.assertj.core.groups.Tuple.tuple("set-language", "de"));
    }

    @Test
    void givenTheGroupsLanguage_whenTheBotRestarts_thenItIsStillChosen() throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("25/1d")), "basic", List.of()).start();
        answerTo(ADMIN, "/language pt-br");

        h.restart();

        assertThat(answerTo(KO, "/help@" + FakeTelegram.BOT_USERNAME)).contains("/quota — quantas imagens você ainda pode fazer");
    }

    @Test
    void inAPrivateChat_languageSaysToSendItInTheGroup() throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("25/1d")), "basic", List.of()).start();
        Chat dm = Chat.privateWith(ADMIN);
        int asked = h.telegram.says(dm, ADMIN, "/language de");

        assertThat(h.telegram.awaitBotMessage(dm.id(), m -> m.replyTo != null && m.replyTo == asked).text)
                .isEqualTo("Send /language in the group whose language you want to change.");
    }
}
