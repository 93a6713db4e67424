package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.MemoryQuota;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static dev.pictor.discord.fake.FakeDiscord.MOD;
import static org.assertj.core.api.Assertions.assertThat;

/** The buttons under a result, with the job ledger in SQLite as in production (the quota stays in memory). */
class DiscordButtonsTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @TempDir
    static Path dir;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.startWithSqliteLedger(dir), r -> {
        rig = r;
        fake = r.fake;
    });

    private FakeMessage aliceResult(String prompt, Object... more) {
        Object[] kv = new Object[more.length + 2];
        kv[0] = "prompt";
        kv[1] = prompt;
        System.arraycopy(more, 0, kv, 2, more.length);
        FakeMessage result = fake.slash(ALICE, "imagine", options(kv)).awaitImages();
        rig.awaitClosed(result); // its post is in the ledger, as it is long before any member could press a button
        return result;
    }

    @Test
    void givenAResult_whenAnotherMemberPressesReroll_thenTheSamePromptIsMadeAgainWithANewSeed_chargedToThem() {
        FakeMessage first = aliceResult("a paper boat", "aspect", "3:4", "count", 2, "seed", 42);
        rig.gateway.calls.clear();
        rig.quota.charged.clear();

        FakeInteraction click = fake.click(BOB, first, first.button("Re-roll"));

        assertThat(click.awaitAck().type()).isEqualTo(5);
        assertThat(click.awaitAck().ephemeral()).isFalse();
        FakeMessage again = click.awaitImages();
        JsonNode call = rig.gateway.calls.getFirst().body();
        assertThat(call.path("prompt").asText()).isEqualTo("a paper boat");
        assertThat(call.path("aspect_ratio").asText()).isEqualTo("3:4");
        assertThat(call.path("num_images").asInt()).isEqualTo(2);
        long seed = call.path("seed").asLong(-1);
        assertThat(seed).isNotEqualTo(42L).isBetween(0L, 4_294_967_295L);
        assertThat(rig.quota.charged).singleElement().satisfies(who -> assertThat(who.userId()).isEqualTo(BOB.idString()));
        assertThat(again.content()).contains("seed " + seed, "<@" + BOB.idString() + ">");
        assertThat(again.buttonIds()).doesNotContainAnyElementsOf(first.buttonIds());
        assertThat(first.deleted()).isFalse();
    }

    @Test
    void givenAResultOfAModelWithoutSeeds_whenReroll_thenTheGatewayPicksTheSeed() {
        FakeMessage first = aliceResult("a kite", "model", "gemini-flash-image");
        rig.gateway.calls.clear();

        fake.click(ALICE, first, first.button("Re-roll")).awaitImages();

        assertThat(rig.gateway.calls.getFirst().body().has("seed")).isFalse();
    }

    @Test
    void givenAMemberWhoseQuotaIsSpent_whenReroll_thenOnlyTheyAreTold_andTheResultStays() {
        FakeMessage first = aliceResult("a kite");
        rig.quota.use(new MemoryQuota(0));

        FakeInteraction click = fake.click(BOB, first, first.button("Re-roll"));

        assertThat(click.awaitPrivateAnswer().content()).contains("You have used your 0 images");
        assertThat(first.deleted()).isFalse();
    }

    @Test
    void givenAResult_whenAnyMemberPressesDetails_thenOnlyTheySeeSeedRewrittenPromptModelGatewayAndTime() {
        FakeMessage result = aliceResult("a quiet harbour", "seed", 77);
        rig.awaitClosed(result);

        FakeInteraction click = fake.click(BOB, result, result.button("Details"));

        assertThat(click.awaitAck().ephemeral()).isTrue();
        assertThat(click.awaitPrivateAnswer().content())
                .contains("a quiet harbour", rig.gateway.documentedPrompt().substring(0, 40), "Imagen 4", "imagen-4", "aiml",
                        "imagen-4.0-generate-001", "**Seed:** 77", "took");
    }

    @Test
    void givenAResult_whenTheRequesterPressesDelete_thenTheResultIsGone() {
        FakeMessage result = aliceResult("a sandcastle");

        FakeInteraction click = fake.click(ALICE, result, result.button("Delete"));

        assertThat(click.awaitAck().type()).isEqualTo(6);
        fake.await(() -> result.deleted() ? true : null, "the result to be deleted");
    }

    @Test
    void givenAResult_whenAnotherMemberPressesDelete_thenOnlyTheyAreToldWhoMayDelete_andTheResultStays() {
        FakeMessage result = aliceResult("a sandcastle");

        FakeInteraction click = fake.click(BOB, result, result.button("Delete"));

        assertThat(click.awaitPrivateAnswer().content()).contains("Only the member who asked", "Manage Messages");
        fake.settle(Duration.ofMillis(100));
        assertThat(result.deleted()).isFalse();
    }

    @Test
    void givenAResult_whenAModeratorPressesDelete_thenTheResultIsGone() {
        FakeMessage result = aliceResult("a sandcastle");

        fake.click(MOD, result, result.button("Delete"));

        fake.await(() -> result.deleted() ? true : null, "the result to be deleted by a moderator");
    }

    @Test
    void givenAResultFromBeforeARestart_whenItsButtonsArePressed_thenTheyStillWork_fromTheLedgerReopenedFromItsFile()
            throws InterruptedException {
        FakeMessage before = aliceResult("an old lighthouse", "seed", 5);
        rig.awaitClosed(before);
        var ledgerBefore = rig.ledger;
        rig.restartBot();
        assertThat(rig.ledger).isNotSameAs(ledgerBefore);
        fake.awaitCommands("global");
        rig.gateway.calls.clear();

        FakeInteraction details = fake.click(BOB, before, before.button("Details"));
        FakeInteraction reroll = fake.click(BOB, before, before.button("Re-roll"));
        FakeInteraction delete = fake.click(ALICE, before, before.button("Delete"));

        assertThat(details.awaitPrivateAnswer().content()).contains("an old lighthouse", "**Seed:** 5");
        assertThat(reroll.awaitImages().attachments()).hasSize(1);
        assertThat(rig.gateway.calls.getFirst().body().path("prompt").asText()).isEqualTo("an old lighthouse");
        fake.await(() -> before.deleted() ? true : null, "the old result to be deleted");
    }
}
