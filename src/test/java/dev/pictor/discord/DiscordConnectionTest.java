package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At start the bot logs in while the store is still opening (issue #15): its connection is open before the bot
 * serves, IDENTIFY waits for the store, and nothing of it is lost or done twice.
 */
class DiscordConnectionTest {
    @Test
    void while_identify_waits_for_the_store_the_commands_are_registered_and_once_it_may_the_bot_answers() throws Exception {
        FakeDiscord fake = FakeDiscord.start();
        try (var rig = DiscordRig.idle(fake, s -> s)) {
            // given a gate that holds every IDENTIFY, as the store's IDENTIFY slots do while the store opens
            var storeOpen = new CountDownLatch(1);
            IdentifyGate gate = heldUntil(storeOpen, new CountDownLatch(1));
            // when the connection opens (the REST login) and only then the bot is built and served on it
            var connection = DiscordConnection.open(rig.settings, gate);
            var bot = new DiscordBot(rig.settings, rig.services(), gate).start(connection);
            try {
                // then its global commands are registered with no session identified yet
                assertThat(fake.awaitCommands("global")).isNotEmpty();
                assertThat(fake.identifies()).isEmpty();
                assertThat(bot.connected()).isFalse();
                // when the store is open
                storeOpen.countDown();
                bot.awaitReady(Duration.ofSeconds(20));
                // then the bot identifies once and answers
                assertThat(fake.identifies()).hasSize(1);
                assertThat(fake.slash(ALICE, "help", Map.of()).awaitPrivateAnswer().content()).contains("/imagine");
                // and the commands were registered once: the READY that came after found them done
                assertThat(fake.calls()).filteredOn(c -> c.method().equals("PUT") && c.path().endsWith("/commands")).hasSize(1);
            } finally {
                bot.close();
            }
            assertThat(fake.violations()).isEmpty();
        }
    }

    @Test
    void when_the_store_failed_to_open_no_shard_identifies() throws Exception {
        FakeDiscord fake = FakeDiscord.start();
        try (var rig = DiscordRig.idle(fake, s -> s)) {
            // given a gate whose store failed to open (pictor is stopping with the STORAGE exit code)
            var asked = new CountDownLatch(1);
            IdentifyGate gate = bucket -> {
                asked.countDown();
                throw new IdentifyGate.Abandoned(new IllegalStateException("cannot open the database"));
            };
            // when the connection opens and the gateway lets it identify
            try (var connection = DiscordConnection.open(rig.settings, gate)) {
                assertThat(asked.await(20, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(1_000); // time for an IDENTIFY that should not come
                // then no session start is spent
                assertThat(fake.identifies()).isEmpty();
            }
            assertThat(fake.violations()).isEmpty();
        }
    }

    @Test
    void a_held_identify_holds_no_gateway_connection_and_a_connection_dropped_after_serving_identifies_again_at_once()
            throws Exception {
        FakeDiscord fake = FakeDiscord.start();
        try (var rig = DiscordRig.idle(fake, s -> s)) {
            // given a gate that holds every IDENTIFY until the store is open, then lets each through at once
            var held = new CountDownLatch(1);
            var storeOpen = new CountDownLatch(1);
            IdentifyGate gate = heldUntil(storeOpen, held);
            var connection = DiscordConnection.open(rig.settings, gate);
            var bot = new DiscordBot(rig.settings, rig.services(), gate).start(connection);
            try {
                // then while the IDENTIFY waits at the gate no gateway connection is open (none for Discord to time out)
                assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
                fake.settle(Duration.ofMillis(500));
                assertThat(fake.gatewayConnectionsOpened()).isZero();
                storeOpen.countDown();
                bot.awaitReady(Duration.ofSeconds(20));
                assertThat(fake.gatewayConnectionsOpened()).isEqualTo(1);

                // when the serving bot's gateway connection drops (no close handshake, as a lost TCP connection)
                fake.dropGatewayConnections();

                // then it connects again, its resume refused by the fake, identifies again through the gate, and answers
                fake.await(() -> fake.identifies().size() == 2 ? true : null,
                        () -> "a second IDENTIFY; connections " + fake.gatewayConnectionsOpened());
                // (JDA resumes on a new connection and, that refused, identifies on one more)
                assertThat(fake.gatewayConnectionsOpened()).isGreaterThan(1);
                assertThat(fake.slash(ALICE, "help", Map.of()).awaitPrivateAnswer().content()).contains("/imagine");
                // and spent no session start more than that one
                fake.settle(Duration.ofMillis(500));
                assertThat(fake.identifies()).hasSize(2);
            } finally {
                bot.close();
            }
            assertThat(fake.violations()).isEmpty();
        }
    }

    /** A gate that counts {@code held} down at each IDENTIFY, then holds it until {@code storeOpen}; then lets it through. */
    private static IdentifyGate heldUntil(CountDownLatch storeOpen, CountDownLatch held) {
        return bucket -> {
            held.countDown();
            try {
                assertThat(storeOpen.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Duration.ZERO;
        };
    }
}
