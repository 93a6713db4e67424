package dev.pictor.telegram;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pictor.core.JobStatus;
import dev.pictor.core.port.UpdateInbox;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Delivery;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.AimlApiFake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Telegram webhook mode end to end: the bot sets its webhook at start, the fake Telegram POSTs each update to it
 * (through the "reverse proxy" to the bot's HTTP port) with the secret header and retries on any answer but 2xx, and
 * the updates go the same way as polled ones: recorded in the inbox before they are answered 200, handled in the
 * background, never twice. Every call the bot makes is checked against the Bot API spec by the fake.
 */
class TelegramWebhookTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    static final Chat ALICE_DM = Chat.privateWith(ALICE);
    static final Chat BOB_DM = Chat.privateWith(BOB);
    static final String PROFILE = TelegramHarness.PROFILE;

    @TempDir
    java.nio.file.Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturingLogs() {
        root.detachAppender(logs);
    }

    @Test
    void aMembersImagine_arrivesByWebhook_andSheGetsHerImage() throws Exception {
        // given a bot profile in webhook mode
        h = new TelegramHarness().webhook().start();
        // then at start it set its webhook with the URL, the secret, the updates it takes, and kept what Telegram holds
        var set = h.telegram.awaitCalls("setWebhook", 1).getFirst();
        assertThat(set.param("url")).isEqualTo(TelegramHarness.WEBHOOK_URL);
        assertThat(set.param("secret_token")).isEqualTo(TelegramHarness.WEBHOOK_SECRET);
        assertThat(set.param("allowed_updates")).isEqualTo("[\"message\",\"callback_query\"]");
        assertThat(set.param("drop_pending_updates")).isEqualTo("false");
        // and it neither polls nor removes webhooks
        assertThat(h.telegram.calls("deleteWebhook")).isEmpty();
        // when Alice asks for an image
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine a lighthouse at dusk --seed 7");
        // then the update was answered 200 and she gets her photo, as a reply, with its buttons
        assertThat(h.telegram.awaitDelivered(h.telegram.lastUpdateId())).extracting(Delivery::status).containsExactly(200);
        Sent photo = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        assertThat(photo.replyTo).isEqualTo(asked);
        assertThat(photo.caption).startsWith("a lighthouse at dusk").contains("seed 7");
        h.awaitJobsClosed(1);
        assertThat(h.ledger.only().status()).isEqualTo(JobStatus.SUCCEEDED);
        // and her button presses come the same way: Details is answered
        String pressed = h.telegram.presses(ALICE, photo, photo.button("Details"));
        assertThat(h.telegram.awaitAnswer(pressed)).isNotNull();
        // and it never polled, and /healthz reports it up
        assertThat(h.telegram.polls()).isZero();
        assertThat(h.bot.running()).isTrue();
    }

    @Test
    void aRequestWithoutTheSecretOrWithAWrongOne_gets401_andNothingIsRecordedHandledOrLogged() throws Exception {
        // given a bot in webhook mode
        h = new TelegramHarness().webhook().start();
        String update = update(4242, ALICE, "/imagine a forged request");
        // when someone who found the URL posts an update without the header, with a wrong secret, with one that
        // differs only in its last character, and with a longer one
        String secret = TelegramHarness.WEBHOOK_SECRET;
        String flipped = secret.substring(0, secret.length() - 1) + (secret.endsWith("n") ? "m" : "n");
        List<Integer> statuses = new java.util.ArrayList<>();
        statuses.add(post(update, null));
        for (String wrong : List.of("wrong", flipped, secret + "x", "")) statuses.add(post(update, wrong));
        // then each is answered 401
        assertThat(statuses).containsOnly(401);
        // and nothing was recorded, nothing asked of the provider, nothing sent to anyone
        assertThat(h.inbox.recorded(PROFILE)).isZero();
        assertThat(h.provider.calls).isEmpty();
        assertThat(h.telegram.botMessages(ALICE_DM.id())).isEmpty();
        // and no log line carries the body (its prompt)
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("forged request"));
        // and the path answers nothing but POST
        var get = http.send(HttpRequest.newBuilder(h.webhookTarget()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        // and Telegram's own requests, with the right secret, are still served
        h.telegram.says(ALICE_DM, ALICE, "/help");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
    }

    @Test
    void anUpdateTelegramSendsAgainAfterASlowAnswer_isHandledOnce() throws Exception {
        // given a bot in webhook mode whose database takes a long while to record the first update
        var holding = new AtomicBoolean(true);
        var release = new CountDownLatch(1);
        var recordsReturned = new AtomicInteger();
        h = new TelegramHarness();
        h.inboxAround = inbox -> new DelegatingInbox(inbox) {
            @Override
            public Set<Long> record(String profile, List<Received> updates) {
                try {
                    if (holding.getAndSet(false)) await(release);
                    return super.record(profile, updates);
                } finally {
                    recordsReturned.incrementAndGet();
                }
            }
        };
        h.webhook().start();
        // and a Telegram that gives up waiting for an answer after 300 ms and sends the update again
        h.telegram.webhookTimeout(Duration.ofMillis(300));
        // when Alice asks for an image
        h.telegram.says(ALICE_DM, ALICE, "/imagine a slow tortoise");
        long id = h.telegram.lastUpdateId();
        // then the first request went unanswered, the second one was answered 200 and she gets her photo
        var deliveries = h.telegram.awaitDelivered(id);
        assertThat(deliveries.getFirst().status()).isZero();
        assertThat(deliveries.getLast().status()).isEqualTo(200);
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        // when the first request's recording finally returns
        release.countDown();
        awaitTrue(() -> recordsReturned.get() >= 2, "both requests recorded");
        h.awaitJobsClosed(1);
        // then the update was handled once: one provider call, one job, one photo
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.ledger.opened).hasSize(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(1);
    }

    @Test
    void anUpdateSentAgainAfterItWasAnswered_isAnswered200_andNotHandledTwice() throws Exception {
        // given a bot in webhook mode that served Alice's /imagine and her /help
        h = new TelegramHarness().webhook().start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine a paper crane");
        long imagine = h.telegram.lastUpdateId();
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        h.telegram.says(ALICE_DM, ALICE, "/help");
        long help = h.telegram.lastUpdateId();
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.contains("/imagine"));
        // when Telegram sends both updates once more (it did not see the 200s)
        h.telegram.redeliver(imagine);
        h.telegram.redeliver(help);
        // then those requests are answered 200 too (so Telegram stops)
        awaitTrue(() -> h.telegram.deliveries(help).size() == 2, "the updates sent again");
        assertThat(h.telegram.deliveries(imagine)).extracting(Delivery::status).containsExactly(200, 200);
        assertThat(h.telegram.deliveries(help)).extracting(Delivery::status).containsExactly(200, 200);
        // and nothing more happens: once a later update is answered, Alice still has one photo and one help text
        int quota = h.telegram.says(ALICE_DM, ALICE, "/quota");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && Integer.valueOf(quota).equals(m.replyTo));
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("text")).hasSize(2);
    }

    @Test
    void onTheDatabase_anUpdateSentAgainToTheNextProcess_isNotHandledTwice() throws Exception {
        // given a bot in webhook mode on a real SQLite database that served Alice's /help
        h = TelegramHarness.withSqlite(dir, java.util.Map.of("basic", List.of("25/1d")), "basic", List.of("100/1d")).webhook().start();
        h.telegram.says(ALICE_DM, ALICE, "/help");
        long help = h.telegram.lastUpdateId();
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        h.telegram.awaitDelivered(help);
        // when the process is replaced by another one (new HTTP port behind the same URL) and Telegram sends the
        // update again, to the new process
        h.restart();
        h.telegram.redeliver(help);
        awaitTrue(() -> h.telegram.deliveries(help).size() == 2, "the update sent again");
        // then the new process answers 200 and does not answer Alice a second time
        assertThat(h.telegram.deliveries(help)).extracting(Delivery::status).containsExactly(200, 200);
        int quota = h.telegram.says(ALICE_DM, ALICE, "/quota");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && Integer.valueOf(quota).equals(m.replyTo));
        assertThat(h.telegram.botMessages(ALICE_DM.id())).hasSize(2);
    }

    @Test
    void aBodyThatIsNotAnUpdate_gets200AndIsSkippedOnce_andLaterUpdatesAreServed() throws Exception {
        // given a bot in webhook mode
        h = new TelegramHarness().webhook().start();
        // when Telegram delivers an update whose message has a date of 0 (not a Telegram message), and again
        h.telegram.saysMalformed(BOB_DM, BOB, "/imagine poison", u -> ((ObjectNode) u.get("message")).put("date", 0));
        long poison = h.telegram.lastUpdateId();
        assertThat(h.telegram.awaitDelivered(poison)).extracting(Delivery::status).containsExactly(200);
        h.telegram.redeliver(poison);
        awaitTrue(() -> h.telegram.deliveries(poison).size() == 2, "the poison sent again");
        // and a body that is not JSON at all arrives with the right secret
        assertThat(post("{\"update_id\": 77, \"message\": ", TelegramHarness.WEBHOOK_SECRET)).isEqualTo(200);
        // then each was answered 200 (Telegram would otherwise send it forever), the poison logged once with its id
        assertThat(h.telegram.deliveries(poison)).extracting(Delivery::status).containsExactly(200, 200);
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("skipped update " + poison + ":")).hasSize(1);
        assertThat(h.inbox.recorded(PROFILE)).isZero();
        // and Alice, who writes next, is served
        h.telegram.says(ALICE_DM, ALICE, "/imagine a clean update");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        assertThat(h.provider.calls).extracting(AimlApiFake.Asked::prompt).containsExactly("a clean update");
        assertThat(h.telegram.botMessages(BOB_DM.id())).isEmpty();
    }

    @Test
    void theWebhookIsAnswered_beforeTheImageIsMade() throws Exception {
        // given a bot in webhook mode and a provider that holds the generation until the test lets it go
        h = new TelegramHarness().webhook().start();
        var asked = new CountDownLatch(1);
        var answer = new CountDownLatch(1);
        h.provider.behave(a -> {
            asked.countDown();
            await(answer);
            return AimlApiFake.pictures(1, a.prompt());
        });
        // when Alice asks for an image
        h.telegram.says(ALICE_DM, ALICE, "/imagine a patient heron");
        long id = h.telegram.lastUpdateId();
        // then the provider is working on it, and the webhook request has already been answered 200, recorded
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(h.telegram.awaitDelivered(id)).extracting(Delivery::status).containsExactly(200);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).noneMatch(m -> m.kind.equals("photo"));
        assertThat(h.inbox.recorded(PROFILE)).isEqualTo(1);
        // when the provider answers, her photo arrives
        answer.countDown();
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
    }

    @Test
    void whileTheDatabaseIsLost_theWebhookAnswers500_andTheUpdateIsServedOnceItIsBack() throws Exception {
        // given a bot in webhook mode whose database is lost
        var lost = new AtomicBoolean(true);
        h = new TelegramHarness();
        h.inboxAround = inbox -> new DelegatingInbox(inbox) {
            @Override
            public Set<Long> record(String profile, List<Received> updates) {
                if (lost.get()) throw new IllegalStateException("[SQLITE_IOERR] disk I/O error");
                return super.record(profile, updates);
            }
        };
        h.webhook().start();
        // when Alice asks for an image
        h.telegram.says(ALICE_DM, ALICE, "/imagine a stubborn mule");
        long id = h.telegram.lastUpdateId();
        // then Telegram is answered 500, and sends it again
        awaitTrue(() -> h.telegram.deliveries(id).size() >= 2, "the update sent again");
        assertThat(h.telegram.deliveries(id)).extracting(Delivery::status).containsOnly(500);
        assertThat(h.provider.calls).isEmpty();
        // when the database is back, the next try is answered 200 and she gets one photo
        lost.set(false);
        assertThat(h.telegram.awaitDelivered(id).getLast().status()).isEqualTo(200);
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        assertThat(h.provider.calls).hasSize(1);
    }

    @Test
    void healthz_isUpOnceTheWebhookIsSet_downWhileTelegramCannotDeliver_orWhenTheWebhookIsGone() throws Exception {
        // given a bot in webhook mode: up once started
        h = new TelegramHarness().webhook().start();
        assertThat(h.bot.running()).isTrue();
        assertThat(h.bot.trouble()).isNull();
        // when the reverse proxy loses the bot's port and Telegram fails to deliver Alice's message
        h.telegram.forwardWebhooksTo(URI.create("http://127.0.0.1:1/telegram/test"));
        h.telegram.says(ALICE_DM, ALICE, "/help");
        long id = h.telegram.lastUpdateId();
        awaitTrue(() -> !h.telegram.deliveries(id).isEmpty(), "a failed delivery");
        h.bot.checkWebhook();
        // then /healthz reports the bot down, with Telegram's error as the reason
        assertThat(h.bot.running()).isFalse();
        assertThat(h.bot.trouble()).contains("could not deliver").contains("Connection refused");
        // when the proxy is back, Alice is answered, and the next check finds the bot up again
        h.telegram.forwardWebhooksTo(h.webhookTarget());
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        h.bot.checkWebhook();
        assertThat(h.bot.running()).isTrue();
        // when another process points the bot's webhook elsewhere, it is reported down
        h.telegram.webhookAlreadySet("https://elsewhere.example.org/hook", "other");
        h.bot.checkWebhook();
        assertThat(h.bot.running()).isFalse();
        assertThat(h.bot.trouble()).contains("another URL");
        assertThat(h.bot.trouble()).doesNotContain(TelegramHarness.WEBHOOK_SECRET);
    }

    @Test
    void deliveryErrorsFromBeforeTheStart_theStoppingProcesss503s_doNotMakeTheNewProcessDown() throws Exception {
        // given Telegram's last delivery error is from a moment ago, when the process before this one was stopping
        h = new TelegramHarness().webhook();
        h.telegram.webhookAlreadySet(TelegramHarness.WEBHOOK_URL, TelegramHarness.WEBHOOK_SECRET);
        h.telegram.deliveryFailed(Duration.ofSeconds(3), "Wrong response from the webhook: 503 Service Unavailable");
        // when the new process starts (and no member has written since)
        h.start();
        // then /healthz reports it up: that error was not this process's
        assertThat(h.bot.running()).isTrue();
        assertThat(h.bot.trouble()).isNull();
    }

    @Test
    void atTheStop_theWebhookStaysSet_andRequestsAreAnswered503SoThatTelegramSendsThemAgain() throws Exception {
        // given a bot in webhook mode
        h = new TelegramHarness().webhook().start();
        // when it stops (its HTTP port still up, as while pictor finishes its jobs)
        h.bot.close();
        // then the webhook is left for another replica, and an update that comes now is answered 503, not recorded
        assertThat(h.telegram.calls("deleteWebhook")).isEmpty();
        assertThat(h.telegram.webhook()).isNotNull();
        h.telegram.says(ALICE_DM, ALICE, "/help");
        long id = h.telegram.lastUpdateId();
        awaitTrue(() -> !h.telegram.deliveries(id).isEmpty(), "a delivery");
        assertThat(h.telegram.deliveries(id).getFirst().status()).isEqualTo(503);
        assertThat(h.inbox.recorded(PROFILE)).isZero();
        assertThat(h.bot.running()).isFalse();
    }

    @Test
    void whenTelegramRefusesTheWebhook_theStartFailsNamingTheProfile_neverTheSecret() throws Exception {
        // given Telegram refuses the webhook
        h = new TelegramHarness().webhook();
        h.telegram.failNext("setWebhook", new FakeTelegram.Failure(400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known", null));
        // when the bot starts, it fails, saying why, without the token or the secret
        assertThatThrownBy(h::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Telegram bot " + PROFILE).hasMessageContaining("webhook was not set")
                .hasMessageContaining("Failed to resolve host")
                .message().doesNotContain(FakeTelegram.TOKEN).doesNotContain(TelegramHarness.WEBHOOK_SECRET);
    }

    @Test
    void aPollingBot_whoseTokenHadAWebhookSet_removesItAndPolls() throws Exception {
        // given a token whose webhook another deployment left set
        h = new TelegramHarness();
        h.telegram.webhookAlreadySet("https://old.example.org/hook", "old-secret");
        // when a bot profile in polling mode (the default) starts, and Alice writes
        h.start();
        h.telegram.says(ALICE_DM, ALICE, "/help");
        // then she is answered: the bot removed the webhook (getUpdates is refused while one is set) and polls
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        assertThat(h.telegram.calls("deleteWebhook")).hasSize(1);
        assertThat(h.telegram.webhook()).isNull();
        assertThat(h.telegram.calls("setWebhook")).isEmpty();
    }

    // ---- helpers

    /** Posts {@code body} to the bot's webhook as a client would, with {@code secret} in the header unless null. */
    private int post(String body, String secret) throws Exception {
        var request = HttpRequest.newBuilder(h.webhookTarget()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) request.header(WebhookReceiver.SECRET_HEADER, secret);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String update(long id, User from, String text) {
        return """
                {"update_id": %d, "message": {"message_id": 5, "date": %d, "chat": {"id": %d, "type": "private"},
                 "from": {"id": %d, "is_bot": false, "first_name": "%s"}, "text": "%s",
                 "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}}
                """.formatted(id, Instant.now().getEpochSecond(), from.id(), from.id(), from.firstName(), text);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
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

    /** An inbox that passes everything to another one; a test overrides what it makes fail or wait. */
    static class DelegatingInbox implements UpdateInbox {
        private final UpdateInbox inner;

        DelegatingInbox(UpdateInbox inner) {
            this.inner = inner;
        }

        @Override
        public Set<Long> record(String profile, List<Received> updates) {
            return inner.record(profile, updates);
        }

        @Override
        public void done(String profile, long id) {
            inner.done(profile, id);
        }

        @Override
        public List<Received> undone(String profile) {
            return inner.undone(profile);
        }

        @Override
        public int prune(String profile, Instant before) {
            return inner.prune(profile, before);
        }
    }
}
