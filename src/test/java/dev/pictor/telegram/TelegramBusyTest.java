package dev.pictor.telegram;

import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.AimlApiFake;
import dev.pictor.testing.MemoryQuota;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core with no room for another job: the member is told pictor is busy, in the words every platform uses
 * (decided in {@code ChatTest}), through the real adapter; nothing is charged or recorded for them.
 */
class TelegramBusyTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    TelegramHarness h;

    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    @Test
    void aCoreWithNoRoomLeft_tellsTheNextMemberPictorIsBusy_andChargesThemNothing() throws Exception {
        // given a core that runs one job at a time and queues none, busy with Alice's job
        var quota = MemoryQuota.unlimited();
        h = new TelegramHarness(quota, 4)
                .jobsOn(() -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>()))
                .start();
        var release = new CountDownLatch(1);
        h.provider.behave(asked -> {
            if (asked.prompt().startsWith("slow")) release.await(10, TimeUnit.SECONDS);
            return AimlApiFake.pictures(asked.count(), asked.prompt());
        });
        Chat alices = Chat.privateWith(ALICE);
        h.telegram.says(alices, ALICE, "/imagine slow clouds");
        h.telegram.awaitCalls("sendChatAction", 1);
        int chargedForAlice = quota.charged.get();

        // when Bob asks meanwhile
        Chat bobs = Chat.privateWith(BOB);
        int asked = h.telegram.says(bobs, BOB, "/imagine quick rain");

        // then he reads, as an answer to his message, that pictor is busy and nothing was charged
        Sent busy = h.telegram.awaitBotMessage(bobs.id(), m -> m.kind.equals("text") && m.text.contains("handling a lot"));
        assertThat(busy.text).contains("Nothing was charged").contains("try again in a minute");
        assertThat(busy.replyTo).isEqualTo(asked);
        assertThat(quota.charged.get()).as("Bob is not charged").isEqualTo(chargedForAlice);
        // and Alice's job goes on to her picture; Bob gets none
        release.countDown();
        h.telegram.awaitBotMessage(alices.id(), m -> m.kind.equals("photo"));
        assertThat(h.telegram.botMessages(bobs.id())).noneMatch(m -> m.kind.equals("photo"));
    }
}
