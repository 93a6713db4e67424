package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** A bot with one worker and room for one waiting command, so that the third at once finds it full. */
class DiscordOverloadTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.start(s -> s.withWorkers(1, 1)), r -> {
        rig = r;
        fake = r.fake;
    })
            .withoutResets()
            .withoutSpecChecks();

    @Test
    void givenEveryWorkerBusyAndTheQueueFull_whenAnotherCommandComes_thenItIsStillAcknowledgedAndTheMemberAskedToRetry() {
        var slowStore = new CountDownLatch(1);
        rig.quota.viewGate = slowStore;
        FakeInteraction busy = fake.slash(ALICE, "quota", Map.of());   // takes the only worker
        fake.await(() -> rig.quota.waitingAtGate.get() == 1 ? true : null, "the worker to be busy");
        FakeInteraction waiting = fake.slash(BOB, "quota", Map.of());  // waits in the queue
        waiting.awaitAck();

        FakeInteraction third = fake.slash(ALICE, "imagine", options("prompt", "one too many"));

        assertThat(third.awaitAck().type()).isEqualTo(5);
        assertThat(third.awaitPrivateAnswer().content()).contains("handling a lot of requests", "Nothing was charged");
        slowStore.countDown();
        rig.quota.viewGate = null;
        assertThat(busy.awaitPrivateAnswer().content()).contains("Your plan");
        assertThat(waiting.awaitPrivateAnswer().content()).contains("Your plan");
        assertThat(rig.gateway.calls).isEmpty();
        assertThat(fake.drainViolations()).isEmpty();
    }
}
