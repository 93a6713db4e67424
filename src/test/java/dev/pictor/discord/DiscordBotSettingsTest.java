package dev.pictor.discord;

import dev.pictor.config.BotProfile;
import dev.pictor.config.CommandScope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter's view of a profile: the profile's own defaults (written once, in {@link BotProfile}), and its own knobs. */
class DiscordBotSettingsTest {
    private static final DiscordBotSettings OK = DiscordBotSettings.of("main", "secret-token-value");

    @Test
    void givenOnlyNameAndToken_thenTheProfilesDefaultsAreUsed_andJdaGetsItsTrailingSlash() {
        assertThat(OK.apiUrl()).isEqualTo(BotProfile.DISCORD_API_URL);
        assertThat(OK.restBase()).isEqualTo(BotProfile.DISCORD_API_URL + "/");
        assertThat(OK.gatewayUrl()).isEqualTo(BotProfile.DISCORD_GATEWAY_URL);
        assertThat(OK.gatewayCompression()).isTrue();
        assertThat(OK.commandScope()).isEqualTo(CommandScope.GLOBAL);
        assertThat(OK.sharded()).isFalse();
        assertThat(OK.workerThreads()).isEqualTo(DiscordBotSettings.WORKER_THREADS);
    }

    @Test
    void aLocalServerOnPlainWs_isSpokenToUncompressed_andAnApiUrlWithASlashKeepsOne() {
        var local = OK.withEndpoints("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9", false);
        assertThat(local.restBase()).isEqualTo("http://127.0.0.1:9/api/v10/");
        assertThat(local.gatewayCompression()).isFalse();
    }

    @Test
    void theShardsThisProcessRuns_areTheListedOnes_orAllOfTheTotal() {
        assertThat(OK.withShards(3, List.of()).runShards()).containsExactly(0, 1, 2);
        assertThat(OK.withShards(3, List.of(1)).runShards()).containsExactly(1);
    }

    @Test
    void theTokenNeverAppearsInTheSettingsText() {
        assertThat(OK.toString()).doesNotContain("secret-token-value").contains("token=***");
    }
}
