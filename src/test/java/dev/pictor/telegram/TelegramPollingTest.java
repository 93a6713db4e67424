package dev.pictor.telegram;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the bot takes its updates from Telegram: an update is confirmed only once it is recorded, so a process that
 * dies loses none and a redelivered one runs once; a malformed update is skipped while everyone else is served;
 * {@code running()} (the {@code bot:<profile>} check of {@code /healthz}) says when polling does not work; a stop
 * logs no error; a chat that floods the bot is told once. All against the fake Bot API, which checks every call.
 */
class TelegramPollingTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    static final User CAROL = new User(103, "Carol", "carol");
    static final Chat ALICE_DM = Chat.privateWith(ALICE);
    static final Chat BOB_DM = Chat.privateWith(BOB);
    static final Chat CAROL_DM = Chat.privateWith(CAROL);
    static final BigInteger OVER_2_63 = BigInteger.TWO.pow(63).add(BigInteger.valueOf(5));

    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturingLogs() {
        root.detachAppender(logs);
    }

    /** Ways a black-box tester spoiled one update of a batch. */
    enum Poison {
        DATE_ZERO(u -> message(u).put("date", 0)),
        UPDATE_ID_OVER_2_63(u -> u.put("update_id", OVER_2_63)),
        CHAT_ID_OVER_2_63(u -> ((ObjectNode) message(u).get("chat")).put("id", OVER_2_63)),
        STRING_WHERE_A_NUMBER_BELONGS(u -> ((ObjectNode) message(u).get("from")).put("id", "one hundred and two"));

        final Consumer<ObjectNode> spoil;

        Poison(Consumer<ObjectNode> spoil) {
            this.spoil = spoil;
        }

        private static ObjectNode message(ObjectNode update) {
            return (ObjectNode) update.get("message");
        }
    }

    @ParameterizedTest
    @EnumSource(Poison.class)
    void aMalformedUpdate_isSkippedOnceWithItsId_whileTheRestOfTheBatchAndLaterChatsAreServed(Poison poison) throws Exception {
        // given a running bot
        h = new TelegramHarness().start();
        // when Alice writes, Bob's message arrives spoiled, and Alice writes again, all in the same moment
        h.telegram.says(ALICE_DM, ALICE, "/help");
        h.telegram.saysMalformed(BOB_DM, BOB, "/help", poison.spoil);
        long poisonId = h.telegram.lastUpdateId();
        h.telegram.says(ALICE_DM, ALICE, "/start");
        // then both of Alice's are answered
        h.telegram.awaitBotMessages(ALICE_DM.id(), 2, m -> m.kind.equals("text"));
        // and a later member in another chat is served too: polling goes on
        h.telegram.says(CAROL_DM, CAROL, "/help");
        h.telegram.awaitBotMessage(CAROL_DM.id(), m -> m.kind.equals("text"));
        // and the spoiled update was skipped (nothing answered), logged once with its id where it has one, and
        // confirmed, so that Telegram stops sending it
        assertThat(h.telegram.botMessages(BOB_DM.id())).isEmpty();
        var skipped = logs.list.stream().filter(e -> e.getFormattedMessage().contains("skipped update")).toList();
        assertThat(skipped).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            if (poison != Poison.UPDATE_ID_OVER_2_63) assertThat(e.getFormattedMessage()).contains("update " + poisonId + ":");
        });
        awaitTrue(() -> h.telegram.unconfirmed() == 0, "every update confirmed");
        // and /healthz keeps the bot ready
        assertThat(h.bot.running()).isTrue();
    }

    enum Outage {
        SERVER_ERROR(new FakeTelegram.Failure(500, "Internal Server Error", null)),
        GARBAGE(FakeTelegram.Failure.garbage(502, "<html><body>502 Bad Provider</body></html>"));

        final FakeTelegram.Failure failure;

        Outage(FakeTelegram.Failure failure) {
            this.failure = failure;
        }
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void aPollerThatKeepsFailing_isReportedDown_andUpAgainOnceItPolls_thenServesWhatCameMeanwhile(Outage outage) throws Exception {
        // given a running bot that /healthz reports up
        h = new TelegramHarness().start();
        assertThat(h.bot.running()).isTrue();
        // when every getUpdates fails from now on
        h.telegram.failAlways("getUpdates", outage.failure);
        // then, once the last good poll is two poll timeouts old, the bot is reported down
        awaitTrue(() -> !h.bot.running(), "the bot reported down");
        int failedPolls = h.telegram.polls();
        // and while it is down a member writes; when the Bot API answers again
        h.telegram.says(ALICE_DM, ALICE, "/help");
        h.telegram.stopFailing("getUpdates");
        // then the bot is up again and she is answered
        awaitTrue(() -> h.bot.running(), "the bot reported up again");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        // and it kept trying meanwhile without hammering the Bot API (backing off between failures)
        assertThat(failedPolls).isBetween(2, 10);
    }

    @Test
    void aStoppedBot_isReportedDown() throws Exception {
        h = new TelegramHarness().start();
        assertThat(h.bot.running()).isTrue();
        h.bot.close();
        assertThat(h.bot.running()).isFalse();
    }

    @Test
    void updatesRecordedButNotHandled_whenTheProcessDies_runExactlyOnceAtTheNextStart_evenIfTelegramSendsThemAgain()
            throws Exception {
        // given a bot on the SQLite file whose handlers never get to run (the process will die first)
        h = TelegramHarness.withSqlite(dir, Map.of("basic", List.of("10/1d")), "basic", List.of("100/1d"));
        h.handlers = new NeverRuns();
        h.start();
        // when Alice and Bob write, and the bot has recorded their updates and confirmed them to Telegram
        h.telegram.says(ALICE_DM, ALICE, "/help");
        h.telegram.says(ALICE_DM, ALICE, "/quota");
        h.telegram.says(BOB_DM, BOB, "/imagine a fox in the snow");
        long last = h.telegram.lastUpdateId();
        awaitTrue(() -> h.inboxPort().undone(TelegramHarness.PROFILE).size() == 3, "three updates recorded");
        awaitTrue(() -> h.telegram.unconfirmed() == 0, "the updates confirmed to Telegram");
        // and the process dies before handling them
        h.stop();
        assertThat(h.telegram.botMessages(ALICE_DM.id())).isEmpty();
        // and Telegram, as after a lost confirmation, sends them once more to the next process
        for (long id = last - 2; id <= last; id++) h.telegram.redeliver(id);
        h.start();
        // then each is answered, once: Alice gets help and her quota, Bob his picture
        List<Sent> alices = h.telegram.awaitBotMessages(ALICE_DM.id(), 2, m -> m.kind.equals("text"));
        assertThat(alices.get(0).text).contains("/imagine");
        assertThat(alices.get(1).text).startsWith("Your plan");
        h.telegram.awaitBotMessage(BOB_DM.id(), m -> m.kind.equals("photo"));
        // (a last message in each chat runs after anything still queued there)
        int aliceLast = h.telegram.says(ALICE_DM, ALICE, "/start");
        int bobLast = h.telegram.says(BOB_DM, BOB, "/start");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.replyTo != null && m.replyTo == aliceLast);
        h.telegram.awaitBotMessage(BOB_DM.id(), m -> m.replyTo != null && m.replyTo == bobLast);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).hasSize(3);
        assertThat(h.telegram.botMessages(BOB_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(1);
        assertThat(h.provider.calls).hasSize(1);
        // and nothing is left for a further start
        awaitTrue(() -> h.inboxPort().undone(TelegramHarness.PROFILE).isEmpty(), "every update done");
    }

    @Test
    void anUpdateTelegramSendsAgain_isRunOnce() throws Exception {
        // given Alice's /imagine, answered
        h = new TelegramHarness().start();
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine a lighthouse");
        long update = h.telegram.lastUpdateId();
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        // when Telegram sends the same update again
        h.telegram.redeliver(update);
        int later = h.telegram.says(ALICE_DM, ALICE, "/help");
        // then only the later message gets an answer: no second picture, no second charge
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.replyTo != null && m.replyTo == later);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.replyTo != null && m.replyTo == asked).hasSize(1);
        h.awaitJobsClosed(1);
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.quota.net()).isEqualTo(1);
    }

    @Test
    void aCleanStop_logsNoError() throws Exception {
        // given a bot that served a picture
        h = new TelegramHarness().start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine a quiet harbour");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        // when it is stopped in order, in the middle of a long poll, as `pictor run` stops: the bot, then the jobs,
        // the database and the shared HTTP client
        var violations = h.telegram.violations();
        h.close();
        h = null;
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("telegram-poll-")),
                "the polling thread ended");
        // then nothing was logged as an error (alerts on ERROR would fire at every deploy)
        assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(violations).isEmpty();
    }

    @Test
    void aChatThatFloodsTheBot_isToldOnceThatItSendsTooFast_andOtherChatsAreServed() throws Exception {
        // given a running bot; its answers in one chat go out about one a second
        h = new TelegramHarness().start();
        // when Alice sends far more than can wait in her chat
        for (int i = 0; i < ChatLanes.MAX_PER_CHAT + 20; i++) h.telegram.says(ALICE_DM, ALICE, "/help");
        // then she reads, once, that she sends too fast and that those messages were not taken
        Sent tooFast = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.contains("faster than I can answer"));
        assertThat(tooFast.text).contains("did not take");
        // and more messages while her chat is still full get no second notice
        for (int i = 0; i < 5; i++) h.telegram.says(ALICE_DM, ALICE, "/help");
        // and Bob, in his own chat, is answered meanwhile
        int bobs = h.telegram.says(BOB_DM, BOB, "/help");
        h.telegram.awaitBotMessage(BOB_DM.id(), m -> m.replyTo != null && m.replyTo == bobs);
        awaitTrue(() -> h.inbox.recorded(TelegramHarness.PROFILE) == ChatLanes.MAX_PER_CHAT + 26, "every update recorded");
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.text != null && m.text.contains("faster than I can answer"))
                .hasSize(1);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Takes every task and runs none, as a process killed before its handlers ran. */
    static final class NeverRuns extends AbstractExecutorService {
        private final List<Runnable> held = new ArrayList<>();
        private volatile boolean shutdown;

        @Override
        public synchronized void execute(Runnable command) {
            if (shutdown) throw new java.util.concurrent.RejectedExecutionException("shut down");
            held.add(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public synchronized List<Runnable> shutdownNow() {
            shutdown = true;
            return List.copyOf(held);
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
