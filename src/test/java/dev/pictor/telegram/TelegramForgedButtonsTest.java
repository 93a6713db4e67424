package dev.pictor.telegram;

import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callback data is the client's word: any client can send any data on any of the bot's messages. These presses forge
 * it (other jobs, other messages, message ranges, garbage) and check that a press acts only on what the ledger
 * recorded as the pressed message's own job, in its own chat.
 */
class TelegramForgedButtonsTest {
    static final User ALICE = new User(201, "Alice", "alice");
    static final User BOB = new User(202, "Bob", null);
    static final Chat GROUP = Chat.group(-1005555, "Painters");
    static final Chat ALICE_DM = Chat.privateWith(ALICE);

    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    @Test
    void ownJobIdWithAForgedRange_deletesNothingButTheJobsOwnMessages() throws Exception {
        // given chatter in the group, then Bob's picture
        h = new TelegramHarness().start();
        h.telegram.says(GROUP, ALICE, "/help");
        h.telegram.says(GROUP, BOB, "/help");
        h.telegram.awaitBotMessages(GROUP.id(), 2, m -> m.kind.equals("text"));
        h.telegram.says(GROUP, BOB, "/imagine a red kite");
        Sent bobs = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        String job = ButtonIds.parse(bobs.button("Delete")).jobId();
        // when Bob presses Delete with his own job id and a forged range of 99 message ids
        h.telegram.awaitAnswer(h.telegram.forges(BOB, bobs, "x:" + job + ":1.99"));
        // then that is no job of his: nothing is deleted
        assertThat(h.telegram.calls("deleteMessages")).isEmpty();
        assertThat(h.telegram.calls("deleteMessage")).isEmpty();
        // and his real Delete removes exactly his picture
        h.telegram.awaitAnswer(h.telegram.presses(BOB, bobs, bobs.button("Delete")));
        assertThat(h.telegram.botMessages(GROUP.id())).filteredOn(m -> m.deleted).extracting(m -> m.messageId)
                .containsExactly(bobs.messageId);
    }

    @Test
    void ownJobIdPressedOnAnotherMembersResult_leavesThatResultAlone() throws Exception {
        // given Alice's and Bob's pictures in the group
        h = new TelegramHarness().start();
        h.telegram.says(GROUP, ALICE, "/imagine a blue whale");
        Sent alices = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        h.telegram.says(GROUP, BOB, "/imagine a red kite");
        Sent bobs = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo") && m.messageId != alices.messageId);
        h.awaitJobsClosed(2);
        String bobsJob = ButtonIds.parse(bobs.button("Delete")).jobId();
        // when Bob sends his own job's Delete on Alice's picture
        var answer = h.telegram.awaitAnswer(h.telegram.forges(BOB, alices, "x:" + bobsJob));
        // then Alice's picture stays, and so does his
        assertThat(answer.path("text").asText()).doesNotContain("Deleted");
        assertThat(alices.deleted).isFalse();
        assertThat(bobs.deleted).isFalse();
        assertThat(h.telegram.calls("deleteMessage")).isEmpty();
        assertThat(h.telegram.calls("deleteMessages")).isEmpty();
    }

    @Test
    void aPrivateJobsReRollAndDetails_pressedFromAGroup_doNotRepostThePrivatePrompt() throws Exception {
        // given Alice's private picture, and a message of the bot in the group
        h = new TelegramHarness().start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine my secret birthday surprise");
        Sent secret = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        h.telegram.says(GROUP, BOB, "/imagine a red kite");
        Sent inGroup = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(2);
        String privateJob = ButtonIds.parse(secret.button("Re-roll")).jobId();
        // when Bob, who learned the job id, presses Re-roll and Details of it on the group's message
        var reroll = h.telegram.awaitAnswer(h.telegram.forges(BOB, inGroup, "r:" + privateJob));
        var details = h.telegram.awaitAnswer(h.telegram.forges(BOB, inGroup, "d:" + privateJob));
        // then neither runs: no new job, no provider call, and the private prompt appears nowhere in the group
        assertThat(reroll.path("text").asText()).doesNotContain("Re-rolling");
        assertThat(details.path("text").asText()).contains("no longer have");
        Thread.sleep(300); // a wrongly accepted press would post within this time
        assertThat(h.provider.calls).hasSize(2);
        assertThat(h.ledger.opened).hasSize(2);
        assertThat(h.telegram.botMessages(GROUP.id()))
                .noneMatch(m -> String.valueOf(m.text).contains("secret") || String.valueOf(m.caption).contains("secret"));
    }

    @Test
    void garbageAndUnknownJobs_areRefusedPolitely_andNothingHappens() throws Exception {
        h = new TelegramHarness().start();
        h.telegram.says(GROUP, BOB, "/imagine a red kite");
        Sent bobs = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        for (String data : List.of("x:", "x:nope", "x:" + "9".repeat(62), "zz", "r:nope", "d:nope", "x:nope:1,2,3")) {
            var answer = h.telegram.awaitAnswer(h.telegram.forges(BOB, bobs, data));
            assertThat(answer.path("text").asText()).as(data).doesNotContain("Deleted").doesNotContain("Re-rolling");
        }
        assertThat(bobs.deleted).isFalse();
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.telegram.calls("deleteMessage")).isEmpty();
    }
}
