package dev.pictor.discord;

import dev.pictor.core.JobStatus;
import dev.pictor.core.port.GatewayCall;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.MemoryLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class DiscordImagineTest {
    static DiscordRig rig;
    static FakeDiscord fake;

    @BeforeAll
    static void startBot() throws InterruptedException {
        rig = DiscordRig.start();
        fake = rig.fake;
        fake.awaitCommands("global");
    }

    @AfterAll
    static void stopBot() {
        rig.close();
    }

    @BeforeEach
    void reset() {
        rig.reset();
    }

    @AfterEach
    void everyCallMatchedTheSpec() {
        assertThat(fake.drainViolations()).isEmpty();
    }

    static Map<String, Object> options(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
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
        GatewayCall call = rig.gateway.calls.getFirst();
        assertThat(call).isEqualTo(new GatewayCall("imagen-4.0-generate-001", "a red fox in fresh snow", "16:9", 2, 42L, true));
        var ledger = (MemoryLedger) rig.ledger;
        String jobId = result.buttonIds().getFirst().substring("pictor:reroll:".length());
        assertThat(ledger.closed.get(jobId).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ledger.closed.get(jobId).delivered()).isEqualTo(2);
    }
}
