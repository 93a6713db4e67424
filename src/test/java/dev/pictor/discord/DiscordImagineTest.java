package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.JobStatus;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.core.ImageFormat;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.TestImages;

import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.Map;

import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class DiscordImagineTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(DiscordRig::start, r -> {
        rig = r;
        fake = r.fake;
    });

    static Map<String, Object> options(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** The one request the fake AIML API received, as a map. */
    static Map<String, Object> aimlRequest() {
        assertThat(rig.gateway.calls).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(rig.gateway.calls.getFirst().body(), Map.class);
        return body;
    }

    @Test
    void theBotsRestClient_neverResendsARequestAfterAConnectionFailure() {
        // a message posted by Discord whose answer was lost must not be posted again underneath JDA
        assertThat(rig.bot.connections()).isNotEmpty()
                .allSatisfy(jda -> assertThat(jda.getHttpClient().retryOnConnectionFailure()).isFalse());
    }

    @Test
    void givenAPromptWithSlashOptions_whenAMemberRunsImagine_thenTheReplyIsDeferredAndReplacedByTheImagesWithCaptionAndButtons() {
        FakeInteraction i = fake.slash(ALICE, "imagine",
                options("prompt", "a red fox in fresh snow", "model", "imagen-4", "aspect", "16:9", "count", 2, "seed", 42));

        FakeInteraction.Ack ack = i.awaitAck();
        FakeMessage result = i.awaitImages();

        assertThat(ack.type()).isEqualTo(5);
        assertThat(ack.ephemeral()).isFalse();
        assertThat(result.ephemeral()).isFalse();
        assertThat(result.attachments()).hasSize(2);
        assertThat(result.content()).contains("a red fox in fresh snow", "Imagen 4", "16:9", "seed 42",
                "<@" + ALICE.idString() + ">");
        assertThat(result.buttonIds()).hasSize(3).allMatch(id -> id.startsWith("pictor:"));
        assertThat(aimlRequest()).isEqualTo(Map.of("model", "imagen-4.0-generate-001", "prompt", "a red fox in fresh snow",
                "num_images", 2, "aspect_ratio", "16:9", "seed", 42, "enhance_prompt", true, "convert_base64_to_url", true));
        var job = rig.awaitClosed(result);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.delivered()).isEqualTo(2);
    }

    @Test
    void givenFlagsInThePrompt_whenImagine_thenTheFlagsAreHonoured_andASlashOptionWinsOverAFlag() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dusk --ar 9:16 --n 3 --seed 7", "seed", 99));

        FakeMessage result = i.awaitImages();

        assertThat(aimlRequest()).containsEntry("prompt", "a lighthouse at dusk").containsEntry("aspect_ratio", "9:16")
                .containsEntry("num_images", 3).containsEntry("seed", 99);
        assertThat(result.attachments()).hasSize(3);
        assertThat(result.content()).startsWith("**a lighthouse at dusk**").contains("9:16", "seed 99");
    }

    @Test
    void givenNoEnhanceFlag_whenImagine_thenTheGatewayIsAskedNotToRewriteThePrompt() {
        fake.slash(ALICE, "imagine", options("prompt", "plain words --no-enhance")).awaitImages();

        assertThat(aimlRequest()).containsEntry("enhance_prompt", false);
    }

    @Test
    void givenAnAspectTheChosenModelDoesNotMake_whenImagine_thenOnlyTheMemberIsToldWhichRatiosItMakes_andNothingIsCharged() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat", "model", "gemini-flash-image", "aspect", "16:9"));

        FakeMessage answer = i.awaitPrivateAnswer();

        assertThat(answer.content()).contains("gemini-flash-image does not make 16:9", "1:1");
        i.awaitOriginalDeleted();
        assertThat(rig.gateway.calls).isEmpty();
        assertThat(rig.quota.charged).isEmpty();
    }

    @Test
    void givenMoreImagesThanTheModelMakes_whenImagine_thenTheMemberIsToldTheLimit() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat", "model", "gemini-flash-image", "count", 3));

        assertThat(i.awaitPrivateAnswer().content()).contains("makes one image per request");
        assertThat(rig.gateway.calls).isEmpty();
    }

    @Test
    void givenAnUnknownFlag_whenImagine_thenTheMemberIsToldWhichOptionsExist() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat --stylize 500"));

        assertThat(i.awaitPrivateAnswer().content()).contains("--stylize", "--ar W:H", "--seed N");
        assertThat(rig.gateway.calls).isEmpty();
    }

    @Test
    void givenOnlyFlagsAndNoWords_whenImagine_thenTheMemberIsAskedForAPrompt() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "--ar 16:9"));

        assertThat(i.awaitPrivateAnswer().content()).contains("Your prompt is empty");
    }

    @Test
    void givenABannedTerm_whenImagine_thenTheMemberIsToldPrivately() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "something Forbidden here"));

        assertThat(i.awaitPrivateAnswer().content()).contains("does not allow the term");
        assertThat(rig.gateway.calls).isEmpty();
    }

    @Test
    void givenASpentQuota_whenImagine_thenTheMemberIsToldPrivately_andTheGatewayIsNotCalled() {
        rig.quota.use(new MemoryQuota(0));

        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat"));

        assertThat(i.awaitPrivateAnswer().content()).contains("You have used your 0 images");
        i.awaitOriginalDeleted();
        assertThat(rig.gateway.calls).isEmpty();
        assertThat(((MemoryLedger) rig.ledger).closed.values()).anyMatch(c -> c.status() == JobStatus.REFUSED);
    }

    @Test
    void givenTheGatewayIsDown_whenImagine_thenTheMemberIsToldPrivately_andTheImagesAreRefunded() {
        MemoryQuota q = rig.quota.use(new MemoryQuota(10));
        rig.gateway.failWith(503);

        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat", "count", 2));

        assertThat(i.awaitPrivateAnswer().content()).contains("not answering", "Nothing was charged");
        assertThat(q.charged.get()).isEqualTo(2);
        fake.await(() -> q.refunded.get() == 2 ? true : null, "the refund of both images");
        assertThat(q.net()).isZero();
    }

    @Test
    void givenTheJobOutlivesTheInteractionToken_whenTheImagesAreReady_thenNothingIsChargedAndTheMemberIsToldByDm() {
        MemoryQuota q = rig.quota.use(new MemoryQuota(10));
        fake.ageNextInteraction(Duration.ofMinutes(15).minusMillis(1500)); // the token runs out while the gateway works
        rig.gateway.answerAfter(Duration.ofSeconds(3));

        fake.slash(ALICE, "imagine", options("prompt", "a very slow cat"));

        FakeMessage dm = fake.await(() -> fake.directMessagesTo(ALICE).stream().findFirst().orElse(null), "a DM to alice");
        assertThat(dm.content()).contains("Nothing was charged");
        fake.await(() -> q.refunded.get() == 1 ? true : null, "the refund");
        assertThat(q.net()).isZero();
    }

    @Test
    void givenTheSafetyFilterDropsOneOfTwoImages_whenImagine_thenOneIsShown_andTheCaptionSaysTheOtherWasNotCharged() {
        MemoryQuota q = rig.quota.use(new MemoryQuota(10));
        rig.gateway.returnImages(1);

        FakeMessage result = fake.slash(ALICE, "imagine", options("prompt", "a cat", "count", 2)).awaitImages();

        assertThat(result.attachments()).hasSize(1);
        assertThat(result.content()).contains("1 image of 2 could not be shown", "safety filter", "not charged");
        fake.await(() -> q.refunded.get() == 1 ? true : null, "the refund of the missing image");
        assertThat(q.net()).isEqualTo(1);
    }

    @Test
    void givenAnImageLargerThanTheInteractionMayUpload_whenImagine_thenItIsReencodedToFit() {
        byte[] big = TestImages.noisyPng(600_000, 3);
        rig.gateway.serveImage(big);
        long limit = 200 * 1024;

        FakeMessage result = fake.slash(ALICE, "imagine", options("prompt", "static noise"), limit).awaitImages();

        FakeMessage.Attachment file = result.attachments().getFirst();
        assertThat(big.length).isGreaterThan((int) limit);
        assertThat(file.size()).isLessThanOrEqualTo((int) limit);
        assertThat(file.filename()).endsWith(".jpg");
        assertThat(ImageFormat.sniff(file.bytes())).contains(ImageFormat.JPEG);
    }

    @Test
    void givenDiscordRateLimitsTheReplyEdits_whenImagine_thenTheBotWaitsAsToldAndStillDelivers() {
        fake.rateLimitNext("update_original_webhook_message", 1);

        FakeMessage result = fake.slash(ALICE, "imagine", options("prompt", "patience")).awaitImages();

        assertThat(result.attachments()).hasSize(1);
        var edits = fake.calls("update_original_webhook_message");
        assertThat(edits).anyMatch(c -> c.status() == 429);
        assertThat(edits.getLast().status()).isEqualTo(200);
    }

    @Test
    void givenAMemberWithASupporterRole_whenImagine_thenTheQuotaIsAskedForTheRolePlan() {
        fake.slash(FakeDiscord.BOB, "imagine", options("prompt", "a cat")).awaitImages();

        assertThat(rig.quota.charged).singleElement().satisfies(who -> {
            assertThat(who.rolePlan()).isEqualTo("supporter");
            assertThat(who.communityId()).isEqualTo(Long.toString(FakeDiscord.GUILD_ID));
            assertThat(who.botProfile()).isEqualTo("test-bot");
            assertThat(who.platform()).isEqualTo(Platform.DISCORD);
        });
    }

    @Test
    void givenADirectMessage_whenImagine_thenTheImagesArrive_andNoServerPoolIsCharged() {
        FakeMessage result = fake.slashInDm(ALICE, "imagine", options("prompt", "a cat")).awaitImages();

        assertThat(result.attachments()).hasSize(1);
        assertThat(rig.quota.charged).singleElement().satisfies(who -> {
            assertThat(who.communityId()).isNull();
            assertThat(who.rolePlan()).isNull();
        });
    }

    @Test
    void givenAMember_whenQuota_thenOnlyTheySeeTheirPlanAndWhatIsLeft() {
        rig.quota.use(new MemoryQuota(5));

        FakeInteraction i = fake.slash(ALICE, "quota", Map.of());

        assertThat(i.awaitAck().ephemeral()).isTrue();
        assertThat(i.awaitPrivateAnswer().content()).contains("Your plan: test", "all 5 left");
    }

    @Test
    void givenAMember_whenHelp_thenOnlyTheyReadHowToUseItAndWhichModelsThereAre() {
        FakeInteraction i = fake.slash(ALICE, "help", Map.of());

        // acknowledged privately at once (the member's language may need a read of the storage: not on JDA's thread)
        FakeMessage answer = i.awaitPrivateAnswer();
        assertThat(i.awaitAck().type()).isEqualTo(5);
        assertThat(i.awaitAck().ephemeral()).isTrue();
        assertThat(answer.content()).contains("/imagine", "--ar", "slash options win", "imagen-4", "gemini-flash-image");
    }

    @Test
    void whenTheBotStarts_thenImagineIsDeclaredWithTheCatalogsModelsAndRatios_forServersDmsAndUserInstalls() {
        JsonNode imagine = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("imagine")) imagine = c;

        assertThat(imagine).isNotNull();
        JsonNode opts = imagine.path("options");
        assertThat(opts.get(0).path("name").asText()).isEqualTo("prompt");
        assertThat(opts.get(0).path("required").asBoolean()).isTrue();
        assertThat(opts.get(1).path("choices").findValuesAsText("value")).containsExactly("imagen-4", "gemini-flash-image");
        assertThat(opts.get(2).path("choices").findValuesAsText("value")).containsExactly("1:1", "16:9", "9:16", "3:4", "4:3");
        assertThat(opts.get(3).path("max_value").asLong()).isEqualTo(4);
        assertThat(opts.get(4).path("max_value").asLong()).isEqualTo(4_294_967_295L);
        assertThat(imagine.path("contexts").toString()).contains("0", "1", "2");
        assertThat(imagine.path("integration_types").toString()).contains("0", "1");
    }

    @Test
    void givenDiscordRefusesTheUpload_whenImagine_thenTheMemberIsToldPrivately_andNothingIsCharged() {
        MemoryQuota q = rig.quota.use(new MemoryQuota(10));
        fake.failNextUpload(500);

        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a cat", "count", 2));

        assertThat(i.awaitPrivateAnswer().content()).contains("could not be posted here", "Nothing was charged");
        fake.await(() -> q.refunded.get() == 2 ? true : null, "the refund of both images");
        assertThat(q.net()).isZero();
    }

    @Test
    void givenAUserInstallInAServerWithoutPictor_whenImagine_thenTheImagesArrive_andThatServersPoolIsNotCharged() {
        FakeInteraction i = fake.slashInForeignGuild(ALICE, "imagine", options("prompt", "a borrowed server"));

        FakeMessage result = i.awaitImages();

        assertThat(result.attachments()).hasSize(1);
        assertThat(i.followups()).isEmpty();
        assertThat(rig.quota.charged).singleElement().satisfies(who -> {
            assertThat(who.communityId()).isNull();
            assertThat(who.displayName()).isEqualTo("Alice");
        });
    }

    @Test
    void givenAGatewayThatTakesAWhile_whenImagine_thenTheReplySaysGeneratingUntilTheImagesReplaceIt() {
        rig.gateway.answerAfter(DiscordDelivery.GENERATING_AFTER.plusMillis(700));

        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a slow snail", "count", 2));

        FakeMessage generating = i.awaitOriginal(m -> m.content().startsWith("🎨 Generating"), "the Generating… edit");
        assertThat(generating.content()).isEqualTo("🎨 Generating 2 images with Imagen 4…");
        assertThat(generating.ephemeral()).isFalse();
        FakeMessage result = i.awaitImages();
        assertThat(result.content()).startsWith("**a slow snail**");
    }

    @Test
    void givenAQuickGateway_whenImagine_thenNoProgressEditIsSentBeforeTheImages() {
        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "a quick hare"));

        i.awaitImages();
        fake.settle(DiscordDelivery.GENERATING_AFTER.plusMillis(200));

        assertThat(fake.calls("update_original_webhook_message").stream()
                .filter(c -> c.path().contains(Long.toHexString(i.id())))).hasSize(1);
        assertThat(i.original().content()).startsWith("**a quick hare**");
    }

    @Test
    void givenDiscordLostTheInteraction_whenImagine_thenNothingIsGeneratedOrCharged() {
        fake.loseNextInteraction();

        FakeInteraction i = fake.slash(ALICE, "imagine", options("prompt", "into the void"));

        assertThat(i.awaitAck().type()).isEqualTo(-1);
        fake.settle(java.time.Duration.ofMillis(300));
        assertThat(rig.quota.charged).isEmpty();
        assertThat(rig.gateway.calls).isEmpty();
    }
}
