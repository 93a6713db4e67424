package dev.pictor.discord;

import dev.pictor.core.Platform;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.core.text.Languages;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language of a member whose client speaks one pictor does not ship is the community's choice, read from the
 * storage. That read is not on the acknowledgement's path: an /imagine, a Re-roll, /quota, Details are acknowledged
 * while it is still on its way (a slow or unreachable database held up every member's acknowledgement before, since
 * JDA hands the bot its events on one thread), and the answer is then in the community's language.
 */
class DiscordAckBeforeLanguageTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    /** Holds every read of a community's language until released; the first server's admins chose Japanese. */
    static volatile CountDownLatch storage = new CountDownLatch(0);
    static final AtomicInteger reads = new AtomicInteger();
    static final LanguageChoice LANGUAGES = new LanguageChoice(Map.of(), (platform, community) -> {
        reads.incrementAndGet();
        try {
            if (!storage.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the test never released the read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return platform == Platform.DISCORD && community.equals(Long.toString(FakeDiscord.GUILD_ID))
                ? Optional.of(Languages.JAPANESE) : Optional.empty();
    });
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.start(LANGUAGES), r -> {
        rig = r;
        fake = r.fake;
    });

    @Test
    void givenTheCommunitysLanguageSlowToRead_whenAMemberWhoseLanguageIsNotShippedImagines_thenEveryoneIsAcknowledgedAtOnce() {
        fake.clientLocale(ALICE, "ko");
        var slowStorage = new CountDownLatch(1);
        storage = slowStorage;
        int before = reads.get();

        FakeInteraction alice = fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dusk"));
        FakeInteraction bob = fake.slash(BOB, "imagine", options("prompt", "a harbour at dawn"));
        FakeInteraction quota = fake.slash(ALICE, "quota", Map.of());

        // then all three are acknowledged while the read is held, and Bob (en-US) gets his images meanwhile
        assertThat(alice.awaitAck().type()).isEqualTo(5);
        assertThat(bob.awaitAck().type()).isEqualTo(5);
        assertThat(quota.awaitAck().type()).isEqualTo(5);
        assertThat(bob.awaitImages().attachments()).hasSize(1);
        assertThat(reads.get()).as("the community's language is being read").isGreaterThan(before);
        assertThat(slowStorage.getCount()).isEqualTo(1);
        assertThat(rig.gateway.calls).as("Alice's job waits for her language, Bob's does not").hasSize(1);

        // and once the storage answers, Alice's answers are in her community's language
        slowStorage.countDown();
        FakeMessage images = alice.awaitImages();
        assertThat(images.attachments()).hasSize(1);
        assertThat(images.button("詳細")).isNotBlank();
        assertThat(quota.awaitPrivateAnswer().content()).isNotBlank();
        assertThat(fake.drainViolations()).isEmpty();
    }

    @Test
    void givenTheCommunitysLanguageSlowToRead_whenAMemberAsksForHelpAndPressesAButtonPictorDoesNotKnow_thenBothAreAcknowledgedAtOnce() {
        // given a result of Bob's to press a button on (the storage answering at once)
        fake.clientLocale(ALICE, "ko");
        storage = new CountDownLatch(0);
        FakeMessage bobs = fake.slash(BOB, "imagine", options("prompt", "a kite over dunes")).awaitImages();
        var slowStorage = new CountDownLatch(1);
        storage = slowStorage;

        // when Alice (ko) asks for /help and presses a button with an id pictor never made, and Bob imagines
        FakeInteraction help = fake.slash(ALICE, "help", Map.of());
        FakeInteraction stranger = fake.forgeClick(ALICE, bobs, "not-a-pictor-button");
        FakeInteraction bob = fake.slash(BOB, "imagine", options("prompt", "a harbour at dawn"));

        // then all three are acknowledged while her language is still being read, hers privately
        assertThat(help.awaitAck().type()).isEqualTo(5);
        assertThat(help.awaitAck().ephemeral()).isTrue();
        assertThat(stranger.awaitAck().type()).isEqualTo(5);
        assertThat(stranger.awaitAck().ephemeral()).isTrue();
        assertThat(bob.awaitAck().type()).isEqualTo(5);
        assertThat(slowStorage.getCount()).isEqualTo(1);

        // and once the storage answers, both answers to her are in her community's language
        slowStorage.countDown();
        assertThat(help.awaitPrivateAnswer().content()).contains("/imagine", "例：");
        assertThat(stranger.awaitPrivateAnswer().content()).contains("このボタンはもう使えません");
        assertThat(bob.awaitImages().attachments()).hasSize(1);
        assertThat(fake.drainViolations()).isEmpty();
    }
}
