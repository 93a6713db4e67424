package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.store.Database;
import dev.pictor.store.IdentifySlots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes each run one shard of a bot whose {@code max_concurrency} is 1 (so both shards are in bucket 0):
 * each with its own connection to the shared store, they start at the same moment, and the gateway sees their
 * IDENTIFY calls a window apart, never together. The window is Discord's 5 s in production, 2 s here.
 */
class DiscordIdentifyAcrossProcessesTest {
    static final Duration WINDOW = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void two_processes_starting_together_identify_the_shards_of_one_bucket_a_window_apart() throws Exception {
        var fake = FakeDiscord.start().maxConcurrency(1);
        String url = "jdbc:sqlite:" + dir.resolve("pictor.db");
        var bots = new ArrayList<DiscordBot>();
        try (var rig = DiscordRig.idle(fake, s -> s); var one = Database.open(url); var two = Database.open(url)) {
            var first = new DiscordBot(rig.settings.withShards(2, List.of(0)), rig.services(), gate(one));
            var second = new DiscordBot(rig.settings.withShards(2, List.of(1)), rig.services(), gate(two));
            bots.add(first);
            bots.add(second);
            CompletableFuture.allOf(CompletableFuture.runAsync(first::start), CompletableFuture.runAsync(second::start)).join();
            first.awaitReady(DiscordRig.READY_WITHIN);
            second.awaitReady(DiscordRig.READY_WITHIN);

            List<FakeDiscord.IdentifyAt> identifies = fake.identifies();
            assertThat(identifies).extracting(FakeDiscord.IdentifyAt::shard).containsExactlyInAnyOrder(0, 1);
            Duration apart = Duration.ofNanos(Math.abs(identifies.get(1).atNanos() - identifies.get(0).atNanos()));
            assertThat(apart).isGreaterThanOrEqualTo(WINDOW);
            assertThat(fake.violations()).isEmpty();
        } finally {
            bots.forEach(DiscordBot::close);
        }
    }

    private static IdentifyGate gate(Database db) {
        var slots = new IdentifySlots(db, Clock.systemUTC(), WINDOW);
        return new IdentifyGate() {
            @Override
            public Duration take(int bucket) {
                return slots.take("test-bot", bucket);
            }

            @Override
            public void identified(int bucket) {
                slots.identified("test-bot", bucket);
            }
        };
    }
}
