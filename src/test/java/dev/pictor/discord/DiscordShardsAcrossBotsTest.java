package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three shards of one bot, each run by a bot of its own (as three processes run them, {@code shard-ids}), on one fake
 * Discord that serves the three gateway sessions at once, with a server on each shard: a member's {@code /imagine} in
 * a server reaches the one shard that owns the server ({@code (guild_id >> 22) % 3}), which knows that server as
 * its own and charges it as the community.
 */
class DiscordShardsAcrossBotsTest {
    static final int SHARDS = 3;

    @Test
    void threeBots_eachRunningOneShard_answerInTheServersOfTheirOwnShard() throws Exception {
        var fake = FakeDiscord.start().recommendShards(SHARDS);
        long[] servers = new long[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            servers[s] = FakeDiscord.serverOnShard(0, s, SHARDS);
            assertThat((servers[s] >> 22) % SHARDS).isEqualTo(s);
            fake.withServer(servers[s]);
        }
        var bots = new ArrayList<DiscordBot>();
        try (var rig = DiscordRig.idle(fake, s -> s)) {
            try {
                for (int s = 0; s < SHARDS; s++) {
                    var bot = new DiscordBot(rig.settings.withShards(SHARDS, List.of(s)), rig.services());
                    bots.add(bot);
                    bot.start();
                }
                for (DiscordBot bot : bots) bot.awaitReady(DiscordRig.READY_WITHIN);
                fake.awaitCommands("global");
                assertThat(fake.identifiedShards()).containsExactlyInAnyOrder(List.of(0, 3), List.of(1, 3), List.of(2, 3));

                for (int s = 0; s < SHARDS; s++) {
                    FakeMessage result = fake.slashInServer(servers[s], ALICE, "imagine", options("prompt", "a boat on shard " + s))
                            .awaitImages();
                    assertThat(result.attachments()).hasSize(1);
                }

                assertThat(rig.quota.charged).extracting(who -> who.communityId())
                        .containsExactly(Long.toString(servers[0]), Long.toString(servers[1]), Long.toString(servers[2]));
                assertThat(fake.violations()).isEmpty();
            } finally {
                bots.forEach(DiscordBot::close);
            }
        }
    }
}
