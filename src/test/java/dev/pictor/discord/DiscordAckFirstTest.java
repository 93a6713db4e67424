package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a burst the acknowledgements go first: a job whose own interaction is acknowledged waits to start while
 * another member's acknowledgement is still on its way to Discord, so job work does not take the CPU those need.
 */
class DiscordAckFirstTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(DiscordRig::start, r -> {
        rig = r;
        fake = r.fake;
    });

    @Test
    void givenAnotherMembersAcknowledgementStillInFlight_whenAnImagineIsAcknowledged_thenItsJobStartsOnlyOnceThatOneIsOut() {
        var slowDiscord = fake.holdCallbacks();
        FakeInteraction first = fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dusk"));
        fake.await(() -> fake.callbacksHeld() == 1 ? true : null, "Alice's acknowledgement to be on its way");
        FakeInteraction second = fake.slash(BOB, "imagine", options("prompt", "a harbour at dawn"));
        fake.await(() -> fake.callbacksHeld() == 2 ? true : null, "Bob's acknowledgement to be on its way");

        slowDiscord.releaseOne();
        assertThat(first.awaitAck().type()).isEqualTo(5);
        // time for Alice's job to reach the image service, were it started beside Bob's acknowledgement
        fake.settle(Duration.ofMillis(300));
        assertThat(rig.gateway.calls).as("the image service asked while an acknowledgement was in flight").isEmpty();
        assertThat(second.ack()).isNull();

        slowDiscord.releaseAll();
        assertThat(second.awaitAck().type()).isEqualTo(5);
        assertThat(first.awaitImages().attachments()).hasSize(1);
        assertThat(second.awaitImages().attachments()).hasSize(1);
        assertThat(rig.gateway.calls).hasSize(2);
        assertThat(fake.drainViolations()).isEmpty();
    }
}
