package dev.pictor.telegram;

import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.JobStatus;
import dev.pictor.core.RouteBreakers;
import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.AimlApiFake;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Telegram adapter end to end: a member's message goes to a fake Bot API, through the real adapter, core and
 * aimlapi provider, to a fake AIML API provider, and back as the messages the member would see. Every call the bot makes is checked against
 * the Bot API spec by the fake; a test fails on any violation.
 */
class TelegramBotTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final User BOB = new User(102, "Bob", null);
    static final User ADMIN = new User(TelegramHarness.ADMIN_ID, "Ada", "ada");
    static final Chat ALICE_DM = Chat.privateWith(ALICE);
    static final Chat GROUP = Chat.group(-1001234, "Painters");

    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    @Test
    void start_registersCommandsAndPollsWithoutHammering() throws Exception {
        // given a bot profile pointing at the fake Bot API
        h = new TelegramHarness();
        // when the bot starts
        h.start();
        // then it knows its name, registered its commands, and asked for messages and button presses
        assertThat(h.bot.username()).isEqualTo(FakeTelegram.BOT_USERNAME);
        var commands = h.telegram.awaitCalls("setMyCommands", 1).getFirst().params().get("commands");
        assertThat(commands.toString()).contains("imagine", "quota", "help");
        assertThat(h.telegram.calls("deleteWebhook")).hasSize(1);
    }

    @Test
    void privateChat_singleImage_arrivesAsPhotoWithCaptionAndButtons_repliesToTheCommand() throws Exception {
        // given a running bot
        h = new TelegramHarness().start();
        // when Alice asks for one image with a seed in her private chat
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine a red fox in fresh snow --ar 16:9 --seed 42");
        // then she gets one photo, as a reply, with the prompt, the model and the seed, and the three buttons
        Sent photo = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        assertThat(photo.replyTo).isEqualTo(asked);
        assertThat(photo.caption).startsWith("a red fox in fresh snow").contains("imagen-4").contains("seed 42");
        assertThat(photo.buttonLabels()).containsExactly("🔁 Re-roll", "ℹ️ Details", "🗑 Delete");
        assertThat(photo.file).isNotEmpty();
        // and "sending a photo…" was shown while it was made (sent from its own thread, so it may trail the photo)
        assertThat(h.telegram.awaitCalls("sendChatAction", 1)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.param("action")).isEqualTo("upload_photo"));
        // and the provider got the options, the job succeeded and one image was charged
        h.awaitJobsClosed(1);
        assertThat(h.provider.calls.getFirst().aspect()).isEqualTo("16:9");
        assertThat(h.provider.calls.getFirst().seed()).isEqualTo(42L);
        assertThat(h.ledger.only().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.quota.net()).isEqualTo(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).hasSize(1);
    }

    @Test
    void stoppedWhileTheButtonsWait_theAlbumThatArrivedCounts_andNothingOfItIsRefunded() throws Exception {
        // given a running bot, and a Bot API that will make the buttons message wait 30 s (429)
        h = new TelegramHarness().start();
        h.telegram.failNext("sendMessage", new FakeTelegram.Failure(429, "Too Many Requests: retry after 30", 30));
        // when Alice's two images are posted and pictor is stopped while the buttons message waits
        h.telegram.says(ALICE_DM, ALICE, "/imagine two kites --n 2");
        h.telegram.awaitBotMessages(ALICE_DM.id(), 2, m -> m.kind.equals("photo"));
        h.telegram.awaitCalls("sendMessage", 1);
        assertThat(h.generation().drain(Duration.ofMillis(200))).isEqualTo(1);
        // then the job ends as delivered: both images count, none is refunded, no "nothing was charged" message
        h.awaitJobsClosed(1);
        assertThat(h.ledger.only().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.ledger.only().delivered()).isEqualTo(2);
        assertThat(h.quota.net()).isEqualTo(2);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).noneMatch(m -> m.text != null && m.text.contains("Nothing was charged"));
    }

    @Test
    void privateChat_threeImages_arriveAsAlbum_thenAShortMessageCarriesTheButtons() throws Exception {
        // given a running bot
        h = new TelegramHarness().start();
        // when Alice asks for three images
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine three paper boats --n 3");
        // then she gets an album of three photos (caption on the first) replying to her, then the buttons
        List<Sent> album = h.telegram.awaitBotMessages(ALICE_DM.id(), 3, m -> m.kind.equals("photo"));
        assertThat(album).extracting(m -> m.mediaGroupId).containsOnly(album.getFirst().mediaGroupId);
        assertThat(album.getFirst().caption).startsWith("three paper boats").contains("imagen-4");
        assertThat(album).allSatisfy(m -> assertThat(m.replyTo).isEqualTo(asked));
        assertThat(album).extracting(m -> m.fileName).doesNotHaveDuplicates();
        Sent buttons = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text"));
        assertThat(buttons.text).contains("3 images");
        assertThat(buttons.buttonLabels()).hasSize(3);
        // and the ledger recorded the album and its buttons message as the job's posts, as Telegram confirmed them
        h.awaitJobsClosed(1);
        String jobId = h.ledger.only().id();
        var expected = new java.util.ArrayList<dev.pictor.core.port.JobPost>();
        album.forEach(m -> expected.add(new dev.pictor.core.port.JobPost(String.valueOf(ALICE_DM.id()), String.valueOf(m.messageId), 1)));
        expected.add(new dev.pictor.core.port.JobPost(String.valueOf(ALICE_DM.id()), String.valueOf(buttons.messageId), 0));
        assertThat(h.ledger.posts.get(jobId)).containsExactlyElementsOf(expected);
        assertThat(ButtonIds.parse(buttons.button("Delete"))).isEqualTo(new ButtonIds(ButtonIds.Action.DELETE, jobId));
        assertThat(h.quota.net()).isEqualTo(3);
    }

    @Test
    void group_commandWithBotName_isServed_otherBotsCommandsAreLeftAlone_andAReplyToTheBotIsAPrompt() throws Exception {
        // given a running bot in a group
        h = new TelegramHarness().start();
        // when a member addresses another bot, then this one
        h.telegram.says(GROUP, BOB, "/imagine@some_other_bot a cat");
        int asked = h.telegram.says(GROUP, BOB, "/imagine@" + FakeTelegram.BOT_USERNAME + " a castle on a hill");
        // then only the second is answered, with a photo, and the group is the request's community
        Sent photo = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        assertThat(photo.replyTo).isEqualTo(asked);
        assertThat(h.provider.calls).extracting(c -> c.prompt()).containsExactly("a castle on a hill");
        assertThat(h.ledger.opened.values()).singleElement()
                .satisfies(j -> assertThat(j.request().requester().communityId()).isEqualTo(String.valueOf(GROUP.id())));
        // when he replies to the bot's photo with a new prompt
        int reply = h.telegram.replies(GROUP, BOB, photo, "the same castle at night --ar 16:9");
        // then that is read as /imagine
        Sent second = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo") && reply == m.replyTo);
        assertThat(second.caption).startsWith("the same castle at night");
        // and small talk in the group gets no answer
        h.telegram.says(GROUP, BOB, "nice pictures!");
        h.telegram.says(GROUP, BOB, "/help@" + FakeTelegram.BOT_USERNAME);
        h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("text") && m.text.contains("/imagine"));
        assertThat(h.telegram.botMessages(GROUP.id())).hasSize(3);
    }

    @Test
    void badOptions_areExplainedInOneMessage_nothingCharged_noGatewayCall() throws Exception {
        // given a running bot
        h = new TelegramHarness().start();
        // when Alice gives an aspect the model does not make, an unknown flag, and no prompt at all
        int a = h.telegram.says(ALICE_DM, ALICE, "/imagine a fox --ar 7:3");
        int b = h.telegram.says(ALICE_DM, ALICE, "/imagine a fox --size big");
        int c = h.telegram.says(ALICE_DM, ALICE, "/imagine");
        // then each gets a short answer that says what is allowed
        Sent aspect = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.replyTo != null && m.replyTo == a);
        assertThat(aspect.text).contains("7:3").contains("16:9");
        Sent flag = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.replyTo != null && m.replyTo == b);
        assertThat(flag.text).contains("--size").contains("--ar");
        Sent empty = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.replyTo != null && m.replyTo == c);
        assertThat(empty.text).contains("empty").contains("reply");
        assertThat(empty.replyMarkup.path("force_reply").asBoolean()).isTrue();
        // and replying to that prompt request makes the picture
        h.telegram.replies(ALICE_DM, ALICE, empty, "a fox after all");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.quota.net()).isEqualTo(1);
    }

    @Test
    void quotaSpent_theMemberIsToldAndTheGatewayIsNotCalled() throws Exception {
        // given a member who may make one image
        h = new TelegramHarness(new MemoryQuota(1), 4).start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine a fox");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        // when she asks again
        int again = h.telegram.says(ALICE_DM, ALICE, "/imagine another fox");
        // then she reads that her images are used up, and no second generation happens
        Sent refusal = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.replyTo == again);
        assertThat(refusal.text).contains("used your 1 image for today");
        assertThat(h.provider.calls).hasSize(1);
        // and /quota tells the same
        h.telegram.says(ALICE_DM, ALICE, "/quota");
        Sent quota = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.startsWith("Your plan"));
        assertThat(quota.text).contains("Your plan: test").contains(": 0 left");
    }

    @Test
    void gatewayFailure_theMemberIsTold_andTheImageIsRefunded() throws Exception {
        // given a provider that is down
        h = new TelegramHarness().start();
        h.provider.behave(asked -> AimlApiFake.json(503, "{\"error\":\"Service Unavailable\"}"));
        // when Alice asks for two images
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine a fox --n 2");
        // then she reads that the service is not answering and nothing was charged
        Sent told = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.replyTo == asked);
        assertThat(told.text).contains("not answering").contains("Nothing was charged");
        h.awaitJobsClosed(1);
        assertThat(h.quota.net()).isZero();
        assertThat(h.quota.refundCalls.get()).isEqualTo(1);
        assertThat(h.ledger.only().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void everyRouteOfTheModelFailing_theMemberIsToldAtOnce_withoutAProviderCall_andNothingIsCharged() throws Exception {
        // given a provider that is down, and a breaker that opens on its first failure
        h = new TelegramHarness();
        h.breakers = new RouteBreakers(new BreakerPolicy(50, 10, 1, Duration.ofSeconds(30)), MutableClock.at("2026-12-02T00:00:00Z"));
        h.start();
        h.provider.behave(asked -> AimlApiFake.json(503, "{\"error\":\"Service Unavailable\"}"));
        int first = h.telegram.says(ALICE_DM, ALICE, "/imagine a fox");
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.replyTo == first);
        h.awaitJobsClosed(1);
        assertThat(h.provider.calls).hasSize(1);
        // when Alice asks again while the only route of imagen-4 is open
        int asked = h.telegram.says(ALICE_DM, ALICE, "/imagine a fox in the snow --n 2");
        // then she reads that the service is not answering and nothing was charged, and the provider heard nothing
        Sent told = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.replyTo == asked);
        assertThat(told.text).contains("The image service for imagen-4 is not answering right now").contains("Nothing was charged")
                .contains("Try again in ").doesNotContain("a few minutes"); // when its breaker lets a probe through
        h.awaitJobsClosed(2);
        assertThat(h.provider.calls).hasSize(1);
        assertThat(h.quota.net()).isZero();
        assertThat(h.ledger.closed.values()).extracting(c -> c.errorClass()).containsExactlyInAnyOrder("transient-503", "routes-open");
    }

    @Test
    void oversizedImages_areSentAsFiles_withTheCaptionAndTheButtons() throws Exception {
        // given a provider whose pictures are too big for photos: 9000×1200 (sides over 10,000) and 10.5 MB
        h = new TelegramHarness().start();
        h.provider.behave(asked -> AimlApiFake.answer(asked.prompt(), AimlApiFake.pngHeader(9000, 1200, 4096),
                AimlApiFake.pngHeader(2048, 2048, 10_500_000)));
        // when Alice asks for two
        h.telegram.says(ALICE_DM, ALICE, "/imagine a very wide panorama --n 2 --seed 7");
        // then both arrive as files: the first carries the caption, the last the buttons; no photo was tried
        List<Sent> files = h.telegram.awaitBotMessages(ALICE_DM.id(), 2, m -> m.kind.equals("document"));
        assertThat(files.getFirst().caption).startsWith("a very wide panorama").contains("seed 7");
        assertThat(files.getLast().buttonLabels()).hasSize(3);
        assertThat(files.getLast().file.length).isEqualTo(10_500_000);
        assertThat(h.telegram.calls("sendPhoto")).isEmpty();
        h.awaitJobsClosed(1);
        assertThat(h.ledger.only().delivered()).isEqualTo(2);
    }

    @Test
    void connectionLostAfterTelegramPostedThePhoto_thePhotoIsNotPostedAgain() throws Exception {
        // given a Bot API that posts Alice's photo and then loses the connection before it can answer
        h = new TelegramHarness().start();
        h.telegram.loseAnswerNext("sendPhoto");
        // when Alice asks for an image
        h.telegram.says(ALICE_DM, ALICE, "/imagine a fox");
        // then the photo is in her chat once: nothing under pictor (OkHttp) sent it again
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        assertThat(h.telegram.calls("sendPhoto")).hasSize(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(1);
    }

    @Test
    void connectionLostAfterTelegramPostedTheAlbum_theAlbumIsNotPostedAgain() throws Exception {
        // given a Bot API that posts Alice's album and then loses the connection before it can answer
        h = new TelegramHarness().start();
        h.telegram.loseAnswerNext("sendMediaGroup");
        // when Alice asks for three images
        h.telegram.says(ALICE_DM, ALICE, "/imagine three paper boats --n 3");
        // then her chat holds one album of three photos, not six
        h.telegram.awaitBotMessages(ALICE_DM.id(), 3, m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        assertThat(h.telegram.calls("sendMediaGroup")).hasSize(1);
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(3);
    }

    @Test
    void telegramSays429_theBotWaitsRetryAfter_andSendsThePhotoExactlyOnce() throws Exception {
        // given a Bot API that answers the first photo with 429, retry_after 1
        h = new TelegramHarness().start();
        h.telegram.failNext("sendPhoto", new FakeTelegram.Failure(429, "Too Many Requests: retry after 1", 1));
        // when Alice asks for an image
        h.telegram.says(ALICE_DM, ALICE, "/imagine a fox");
        // then the photo is sent again after at least a second, and the chat holds it once
        var calls = h.telegram.awaitCalls("sendPhoto", 2);
        assertThat(calls).extracting(FakeTelegram.Call::status).containsExactly(429, 200);
        assertThat(calls.get(1).atNanos() - calls.get(0).atNanos()).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        assertThat(h.telegram.botMessages(ALICE_DM.id())).filteredOn(m -> m.kind.equals("photo")).hasSize(1);
        // and it counts as delivered
        h.awaitJobsClosed(1);
        assertThat(h.ledger.only().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.quota.net()).isEqualTo(1);
    }

    @Test
    void buttons_workBeforeAndAfterARestart() throws Exception {
        // given Alice's picture with its buttons
        h = new TelegramHarness().start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine a lighthouse at dawn --seed 42");
        Sent photo = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        // when she presses Details
        String details = h.telegram.presses(ALICE, photo, photo.button("Details"));
        // then the press is answered and the details come as a reply to the picture
        h.telegram.awaitAnswer(details);
        Sent shown = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.startsWith("Details"));
        assertThat(shown.replyTo).isEqualTo(photo.messageId);
        assertThat(shown.text).contains("Seed: 42", "imagen-4 via aiml (imagen-4.0-generate-001)", "Revised prompt: an enhanced a lighthouse at dawn");

        // when the bot restarts (a new adapter over the same ledger) and she presses Re-roll on the old picture
        h.restart();
        String reroll = h.telegram.presses(ALICE, photo, photo.button("Re-roll"));
        // then it is answered, and a new picture of the same prompt with another seed arrives, charged again
        assertThat(h.telegram.awaitAnswer(reroll).path("text").asText()).contains("Re-rolling");
        Sent second = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo") && m.messageId != photo.messageId);
        assertThat(second.caption).startsWith("a lighthouse at dawn").doesNotContain("seed 42\n").doesNotEndWith("seed 42");
        h.awaitJobsClosed(2);
        assertThat(h.provider.calls).hasSize(2);
        assertThat(h.provider.calls.get(1).seed()).isNotNull().isNotEqualTo(42L);
        assertThat(h.quota.net()).isEqualTo(2);
        // and Details still works on the old picture
        String again = h.telegram.presses(ALICE, photo, photo.button("Details"));
        h.telegram.awaitAnswer(again);
        h.telegram.awaitBotMessages(ALICE_DM.id(), 2, m -> m.kind.equals("text") && m.text.startsWith("Details"));
    }

    @Test
    void delete_isForTheMemberWhoAskedOrAnAdmin() throws Exception {
        // given Alice's picture in the group
        h = new TelegramHarness().start();
        h.telegram.says(GROUP, ALICE, "/imagine a tidy desk");
        Sent photo = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo"));
        h.awaitJobsClosed(1);
        // when Bob presses Delete
        String bobs = h.telegram.presses(BOB, photo, photo.button("Delete"));
        // then he is told why not, in an alert, and the picture stays
        var refused = h.telegram.awaitAnswer(bobs);
        assertThat(refused.path("text").asText()).contains("Only the member who asked");
        assertThat(refused.path("show_alert").asBoolean()).isTrue();
        assertThat(photo.deleted).isFalse();
        // when an admin presses it
        String admins = h.telegram.presses(ADMIN, photo, photo.button("Delete"));
        // then it is gone
        assertThat(h.telegram.awaitAnswer(admins).path("text").asText()).isEqualTo("Deleted.");
        assertThat(photo.deleted).isTrue();
    }

    @Test
    void deleteByTheRequester_removesTheWholeAlbum() throws Exception {
        // given Alice's album of two
        h = new TelegramHarness().start();
        h.telegram.says(ALICE_DM, ALICE, "/imagine two moons --n 2");
        Sent buttons = h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.replyMarkup != null);
        h.awaitJobsClosed(1); // the ledger has recorded every message of the result
        // when she presses Delete
        h.telegram.awaitAnswer(h.telegram.presses(ALICE, buttons, buttons.button("Delete")));
        // then the album and the buttons message are deleted
        assertThat(h.telegram.botMessages(ALICE_DM.id())).hasSize(3).allSatisfy(m -> assertThat(m.deleted).isTrue());
    }

    @Test
    void twoMembersAtOnce_inOneGroup_bothAreServedSideBySide() throws Exception {
        // given a provider that answers only once two calls are in flight together
        h = new TelegramHarness().start();
        var both = new CyclicBarrier(2);
        h.provider.behave(asked -> {
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return AimlApiFake.json(400, "{\"error\":\"the two calls did not run together\"}");
            }
            return AimlApiFake.pictures(asked.count(), asked.prompt());
        });
        // when Alice and Bob ask at the same time
        int a = h.telegram.says(GROUP, ALICE, "/imagine a red kite");
        int b = h.telegram.says(GROUP, BOB, "/imagine a blue kite");
        // then each gets their own picture, replying to their own message
        Sent forAlice = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo") && m.replyTo == a);
        Sent forBob = h.telegram.awaitBotMessage(GROUP.id(), m -> m.kind.equals("photo") && m.replyTo == b);
        assertThat(forAlice.caption).startsWith("a red kite");
        assertThat(forBob.caption).startsWith("a blue kite");
        h.awaitJobsClosed(2);
        assertThat(h.ledger.closed.values()).extracting(j -> j.status()).containsOnly(JobStatus.SUCCEEDED);
    }

    @Test
    void busyGateway_theSecondMemberIsToldTheirJobIsQueued_andTheNoteGoesOnceTheImagesArrive() throws Exception {
        // given a provider with one slot, held by Alice's job
        h = new TelegramHarness(MemoryQuota.unlimited(), 1).start();
        var release = new CountDownLatch(1);
        h.provider.behave(asked -> {
            if (asked.prompt().startsWith("slow")) release.await(10, TimeUnit.SECONDS);
            return AimlApiFake.pictures(asked.count(), asked.prompt());
        });
        h.telegram.says(ALICE_DM, ALICE, "/imagine slow clouds");
        h.telegram.awaitCalls("sendChatAction", 1);
        // when Bob asks meanwhile
        Chat bobs = Chat.privateWith(BOB);
        int asked = h.telegram.says(bobs, BOB, "/imagine quick rain");
        // then he reads that his job is queued, and gets his picture once the slot is free
        Sent queued = h.telegram.awaitBotMessage(bobs.id(), m -> m.kind.equals("text") && m.text.contains("Queued"));
        assertThat(queued.replyTo).isEqualTo(asked);
        assertThat(queued.deleted).isFalse();
        release.countDown();
        Sent photo = h.telegram.awaitBotMessage(bobs.id(), m -> m.kind.equals("photo"));
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("photo"));
        // and the queued note is deleted once his picture is in the chat, the picture stays
        h.telegram.awaitCalls("deleteMessages", 1);
        for (int i = 0; i < 200 && !queued.deleted; i++) Thread.sleep(25); // the call is recorded, then served
        assertThat(queued.deleted).as("the queued note is deleted").isTrue();
        assertThat(photo.deleted).isFalse();
        assertThat(h.telegram.botMessages(ALICE_DM.id())).noneMatch(m -> m.deleted);
    }

    @Test
    void helpStartAndUnknownCommands_allGetAnAnswer() throws Exception {
        h = new TelegramHarness().start();
        // when Alice sends /start, /help, an unknown command and plain text in her private chat
        h.telegram.says(ALICE_DM, ALICE, "/start");
        h.telegram.says(ALICE_DM, ALICE, "/help");
        h.telegram.says(ALICE_DM, ALICE, "/paint a fox");
        h.telegram.says(ALICE_DM, ALICE, "a fox please");
        // then every one is answered, in order
        List<Sent> answers = h.telegram.awaitBotMessages(ALICE_DM.id(), 4, m -> m.kind.equals("text"));
        assertThat(answers.get(0).text).startsWith("Hi!").contains("--ar", "imagen-4 (default)", "flash");
        assertThat(answers.get(1).text).contains("/imagine@" + FakeTelegram.BOT_USERNAME);
        assertThat(answers.get(2).text).contains("/paint");
        assertThat(answers.get(3).text).contains("/imagine");
        assertThat(h.provider.calls).isEmpty();
        // and at about one message a second in one chat (two at once, then one per second): the fourth waited ~2 s
        // after the first was let go (counted from when the fake got the first, whose connection set-up may have
        // taken a while, so not to the millisecond; unpaced, all four arrive within milliseconds)
        var sends = h.telegram.calls("sendMessage");
        assertThat(sends.get(3).atNanos() - sends.get(0).atNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void withoutAdminOperations_anAdminCommandIsAnsweredThatItIsNotAvailable_andTheMenuListsTheMembersCommands() throws Exception {
        // given a bot whose setup has no admin operations (the in-memory quota)
        h = new TelegramHarness().start();
        // when the admin grants images
        var adminDm = Chat.privateWith(ADMIN);
        int grant = h.telegram.says(adminDm, ADMIN, "/grant 101 10");
        // then they are told admin commands are not available here, and the update is done in the inbox
        assertThat(h.telegram.awaitBotMessage(adminDm.id(), m -> m.replyTo != null && m.replyTo == grant).text)
                .isEqualTo("Admin commands are not available in this setup.");
        TelegramHarness.await(() -> h.inbox.undone(TelegramHarness.PROFILE).isEmpty() ? 1 : 0, 1, "all updates done");
        // and the command menu offers /imagine, /quota and /help, in that order, and no admin command
        String menu = h.telegram.calls("setMyCommands").getFirst().params().get("commands").toString();
        assertThat(menu).containsSubsequence("imagine", "quota", "help").doesNotContain("grant", "start");
    }

    @Test
    void wrongToken_startFailsWithAClearMessage_thatDoesNotShowTheToken() throws Exception {
        // given a profile whose token Telegram does not know
        h = new TelegramHarness();
        String wrong = "999:WRONG-secret-token";
        var settings = new TelegramBotSettings("wrong", wrong, h.telegram.url(), null, null);
        var bot = new TelegramBot(settings, new dev.pictor.core.chat.ChatServices(null, null, null, h.catalog, h.quota, h.ledger, null, h.inbox, null, null), new okhttp3.OkHttpClient());
        // when it starts, then it fails naming the profile and TELEGRAM_TOKEN, never the token
        assertThatThrownBy(bot::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong").hasMessageContaining("TELEGRAM_TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong))
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(wrong));
        bot.close();
        assertThat(settings.toString()).doesNotContain(wrong);
        assertThat(new String(FakeTelegram.TOKEN.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isNotEmpty();
    }
}
