package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.discord.fake.FakeDiscord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/** A profile with two shards and commands registered per server. */
class DiscordShardingTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.start(s -> s.withShards(2, List.of())
                .withCommandScope(CommandScope.GUILD,
                        List.of(Long.toString(FakeDiscord.GUILD_ID), Long.toString(FakeDiscord.GUILD2_ID)))), r -> {
        rig = r;
        fake = r.fake;
    })
            .withoutAwaitingCommands()
            .withoutResets();

    @Test
    void everyShardsRestClient_neverResendsARequestAfterAConnectionFailure() {
        assertThat(rig.bot.connections()).isNotEmpty()
                .allSatisfy(jda -> assertThat(jda.getHttpClient().retryOnConnectionFailure()).isFalse());
    }

    @Test
    void givenTwoShards_whenTheBotStarts_thenEachShardIdentifiesWithItsNumber() {
        assertThat(fake.identifiedShards()).containsExactlyInAnyOrder(List.of(0, 2), List.of(1, 2));
        assertThat(fake.calls("get_bot_gateway")).isNotEmpty();
    }

    @Test
    void givenGuildScope_whenTheBotStarts_thenTheCommandsAreRegisteredInEachListedServer_andNoneGlobally() {
        JsonNode first = fake.awaitCommands(Long.toString(FakeDiscord.GUILD_ID));
        JsonNode second = fake.awaitCommands(Long.toString(FakeDiscord.GUILD2_ID));

        assertThat(first.findValuesAsText("name")).contains("imagine", "quota", "help");
        assertThat(second.size()).isEqualTo(first.size());
        assertThat(fake.awaitCommands("global")).isEmpty(); // global ones cleared, or they would show twice
    }

    @Test
    void givenAServerOnTheSecondShard_whenImagine_thenThatShardAnswers() {
        fake.awaitCommands(Long.toString(FakeDiscord.GUILD2_ID));

        var result = fake.slashInSecondGuild(ALICE, "imagine", options("prompt", "a second server")).awaitImages();

        assertThat(result.attachments()).hasSize(1);
        assertThat(rig.quota.charged).singleElement()
                .satisfies(who -> assertThat(who.communityId()).isEqualTo(Long.toString(FakeDiscord.GUILD2_ID)));
    }
}
