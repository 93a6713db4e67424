package dev.pictor.telegram;

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

/** {@code /stats} over the real SQLite ledger: a group's figures in the group, the whole bot's in private, admins only. */
class TelegramStatsTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    static final User ADMIN = new User(TelegramHarness.ADMIN_ID, "Ada", "ada");
    static final Chat PAINTERS = Chat.group(-1005555, "Painters");
    static final Chat SCULPTORS = Chat.group(-1006666, "Sculptors");
    static final Chat ADMIN_DM = Chat.privateWith(ADMIN);

    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    /** Alice makes a picture in the Painters, Bob one in the Sculptors; both jobs closed in the ledger. */
    void start() throws Exception {
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("25/1d")), "basic", List.of("50/1d")).start();
        h.telegram.says(PAINTERS, ALICE, "/imagine a lighthouse at dawn");
        h.telegram.says(SCULPTORS, BOB, "/imagine a fox in the snow");
        awaitClosed(h.telegram.awaitBotMessage(PAINTERS.id(), m -> m.kind.equals("photo")));
        awaitClosed(h.telegram.awaitBotMessage(SCULPTORS.id(), m -> m.kind.equals("photo")));
    }

    void awaitClosed(Sent photo) {
        String job = ButtonIds.parse(photo.button("Details")).jobId();
        TelegramHarness.await(() -> h.ledgerPort().find(job).map(j -> j.status().terminal() ? 1 : 0).orElse(0), 1, "closed job");
    }

    Sent answerTo(Chat chat, int message) {
        return h.telegram.awaitBotMessage(chat.id(), m -> m.replyTo != null && m.replyTo == message);
    }

    @Test
    void givenAnAdminInAGroup_whenStats_thenOnlyThatGroupsFiguresAreShown() throws Exception {
        start();

        String figures = answerTo(PAINTERS, h.telegram.says(PAINTERS, ADMIN, "/stats")).text;

        assertThat(figures).startsWith("Figures from ").contains("(cost in USD)", "Per day:", "Top members:",
                "• telegram:101: 1 job, 1 image, 0 failed", "• imagen-4: 1 job", "• aiml: 1 job");
        // the other group's job is not in this group's figures
        assertThat(figures).doesNotContain("telegram:102").doesNotContain("2 jobs");
    }

    @Test
    void givenAnAdminInPrivate_whenStats_thenTheWholeBotsFiguresAreShown() throws Exception {
        start();

        String figures = answerTo(ADMIN_DM, h.telegram.says(ADMIN_DM, ADMIN, "/stats")).text;

        assertThat(figures).contains("• telegram:101: 1 job", "• telegram:102: 1 job", "• imagen-4: 2 jobs, 2 images, 0 failed");
    }

    @Test
    void givenAMemberWhoIsNoAdmin_whenStats_thenTheyAreRefused_andSeeNoFigures() throws Exception {
        start();

        String answer = answerTo(SCULPTORS, h.telegram.says(SCULPTORS, BOB, "/stats")).text;

        assertThat(answer).isEqualTo("Only the bot's admins can use /stats.");
    }
}
