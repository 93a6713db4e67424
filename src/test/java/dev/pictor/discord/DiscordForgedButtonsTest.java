package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A custom id is the client's word: a modified client can press a button of its choosing on any message it sees.
 * These presses forge it (another member's job, a job from another server, garbage) and check that a press acts only
 * when the message it sits on is one the ledger recorded as that job's post. The ledger is SQLite, as in production.
 */
class DiscordForgedButtonsTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @TempDir
    static Path dir;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.startWithSqliteLedger(dir), r -> {
        rig = r;
        fake = r.fake;
    });

    @Test
    void givenTwoResults_whenBobPressesHisOwnJobsDeleteOnAlicesResult_thenAlicesResultStays() {
        FakeMessage alices = fake.slash(ALICE, "imagine", options("prompt", "a blue whale")).awaitImages();
        FakeMessage bobs = fake.slash(BOB, "imagine", options("prompt", "a red kite")).awaitImages();
        rig.awaitClosed(alices);
        rig.awaitClosed(bobs);

        FakeInteraction forged = fake.forgeClick(BOB, alices, bobs.button("Delete"));

        assertThat(forged.awaitPrivateAnswer().content()).contains("no record of that job");
        fake.settle(Duration.ofMillis(100));
        assertThat(alices.deleted()).isFalse();
        assertThat(bobs.deleted()).isFalse();
    }

    @Test
    void givenAResultInAnotherServer_whenItsReRollAndDetailsArePressedHere_thenNeitherRuns() {
        FakeMessage elsewhere = fake.slashInSecondGuild(ALICE, "imagine", options("prompt", "our secret plan")).awaitImages();
        FakeMessage here = fake.slash(BOB, "imagine", options("prompt", "a red kite")).awaitImages();
        rig.awaitClosed(elsewhere);
        rig.awaitClosed(here);
        rig.gateway.calls.clear();
        rig.quota.charged.clear();

        FakeInteraction reroll = fake.forgeClick(BOB, here, elsewhere.button("Re-roll"));
        FakeInteraction details = fake.forgeClick(BOB, here, elsewhere.button("Details"));

        assertThat(reroll.awaitPrivateAnswer().content()).contains("no record of that job").doesNotContain("secret");
        assertThat(details.awaitPrivateAnswer().content()).contains("no record of that job").doesNotContain("secret");
        fake.settle(Duration.ofMillis(100));
        assertThat(rig.gateway.calls).isEmpty();
        assertThat(rig.quota.charged).isEmpty();
    }

    @Test
    void givenAResult_whenGarbageOrUnknownJobsArePressed_thenNothingHappens() {
        FakeMessage result = fake.slash(ALICE, "imagine", options("prompt", "a sandcastle")).awaitImages();
        rig.awaitClosed(result);
        rig.gateway.calls.clear();

        for (String id : new String[]{"pictor:delete:nope", "pictor:reroll:", "pictor:details:../../x", "pictor:delete:"
                + "9".repeat(80), "something-else"}) {
            fake.forgeClick(ALICE, result, id).awaitPrivateAnswer();
        }

        fake.settle(Duration.ofMillis(100));
        assertThat(result.deleted()).isFalse();
        assertThat(rig.gateway.calls).isEmpty();
    }
}
