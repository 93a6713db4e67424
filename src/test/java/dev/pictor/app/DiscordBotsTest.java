package dev.pictor.app;

import dev.pictor.config.CommandScope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.config.BotProfile;
import dev.pictor.config.ConfigLoader;
import dev.pictor.config.LoadedConfig;
import dev.pictor.discord.DiscordBotSettings;
import dev.pictor.discord.fake.FakeDiscord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiscordBotsTest {
    @TempDir
    Path dir;

    /** The shipped files, with the database in a temporary directory. */
    private LoadedConfig shipped(Map<String, String> env) {
        var withStorage = new java.util.HashMap<>(env);
        withStorage.put("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
        return ConfigLoader.of(withStorage).load(Path.of("config/pictor.yaml"), Path.of("bots"));
    }

    private BotProfile discordProfile(LoadedConfig loaded) {
        return loaded.bots().stream().filter(b -> b.name().equals("discord")).findFirst().orElseThrow();
    }

    @Test
    void givenTheShippedDiscordProfileWithATokenAndAFakeDiscord_whenStarted_thenItServesTheConfiguredCatalog() throws Exception {
        try (FakeDiscord fake = FakeDiscord.start()) {
            LoadedConfig loaded = shipped(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN,
                    "DISCORD_API_URL", fake.apiUrl(), "DISCORD_GATEWAY_URL", fake.gatewayUrl()));
            try (var services = Services.start(loaded); var bots = DiscordBots.start(loaded.bots(), services)) {
                bots.bots().getFirst().awaitReady(Duration.ofSeconds(20));

                JsonNode commands = fake.awaitCommands("global");
                JsonNode imagine = null;
                for (JsonNode c : commands) if (c.path("name").asText().equals("imagine")) imagine = c;
                assertThat(imagine).isNotNull();
                assertThat(commands.findValuesAsText("name")).contains("quota", "help", "pictor");
                assertThat(imagine.path("options").get(1).path("choices").findValuesAsText("value"))
                        .containsExactlyElementsOf(services.catalog().all().stream().map(m -> m.id()).toList());

                var answer = fake.slash(FakeDiscord.ALICE, "imagine", Map.of("prompt", "a fox")).awaitPrivateAnswer();
                assertThat(answer.content()).contains("No image service is set up"); // no provider key in this test
                assertThat(fake.drainViolations()).isEmpty();
            }
        }
    }

    @Test
    void aLoggedInBot_identifiesOnlyOnceItServes_evenWithTheStoreOpen() throws Exception {
        // no session before its bot serves: interactions would wait, unanswered, for the other profiles' logins
        try (FakeDiscord fake = FakeDiscord.start()) {
            LoadedConfig loaded = shipped(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN,
                    "DISCORD_API_URL", fake.apiUrl(), "DISCORD_GATEWAY_URL", fake.gatewayUrl()));
            try (var services = Services.start(loaded)) {
                var connecting = DiscordBots.connect(loaded.bots(), java.util.concurrent.CompletableFuture.completedFuture(services));
                Thread.sleep(1_500); // time for an IDENTIFY that must not come yet
                assertThat(fake.identifies()).isEmpty();

                try (var bots = connecting.start(services)) {
                    bots.bots().getFirst().awaitReady(Duration.ofSeconds(20));
                    assertThat(fake.identifies()).hasSize(1);
                }
            }
            assertThat(fake.drainViolations()).isEmpty();
        }
    }

    @Test
    void givenTheShippedProfileWithoutAToken_thenNoBotIsStarted() {
        LoadedConfig loaded = shipped(Map.of());
        try (var services = Services.start(loaded); var bots = DiscordBots.start(loaded.bots(), services)) {
            assertThat(bots.isEmpty()).isTrue();
        }
    }

    @Test
    void aProfileMapsToTheAdaptersSettings() {
        BotProfile p = discordProfile(shipped(Map.of("DISCORD_TOKEN", "t0ken")));

        DiscordBotSettings s = DiscordBotSettings.of(p);

        assertThat(s.name()).isEqualTo("discord");
        assertThat(s.apiUrl()).isEqualTo("https://discord.com/api/v10");
        assertThat(s.restBase()).isEqualTo("https://discord.com/api/v10/");
        assertThat(s.gatewayUrl()).isEqualTo("wss://gateway.discord.gg");
        assertThat(s.gatewayCompression()).isTrue();
        assertThat(s.commandScope()).isEqualTo(CommandScope.GLOBAL);
        assertThat(s.sharded()).isFalse(); // shards: 1
        assertThat(DiscordBotSettings.of(withShards(p, 4, List.of(2, 3))).runShards()).containsExactly(2, 3);
    }

    private static BotProfile withShards(BotProfile p, int shards, List<Integer> ids) {
        return new BotProfile(p.name(), p.platform(), p.token(), p.apiUrl(), p.gatewayUrl(), p.admins(), p.communityPool(),
                p.rolePlans(), p.globalDailyCap(), p.commands(), p.guilds(), shards, ids);
    }
}
