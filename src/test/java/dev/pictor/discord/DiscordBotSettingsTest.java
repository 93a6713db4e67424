package dev.pictor.discord;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiscordBotSettingsTest {
    private static final DiscordBotSettings OK = DiscordBotSettings.of("main", "secret-token-value");

    @Test
    void givenOnlyNameAndToken_thenDiscordsOwnEndpointsAndGlobalCommandsAreUsed() {
        assertThat(OK.apiUrl()).isEqualTo("https://discord.com/api/v10/");
        assertThat(OK.gatewayUrl()).isEqualTo("wss://gateway.discord.gg");
        assertThat(OK.commandScope()).isEqualTo(DiscordBotSettings.CommandScope.GLOBAL);
        assertThat(OK.sharded()).isFalse();
    }

    @Test
    void givenAMissingToken_thenTheMistakeNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> DiscordBotSettings.of("main", " "))
                .hasMessageStartingWith("token:").hasMessageContaining("DISCORD_TOKEN");
    }

    @Test
    void givenBadEndpoints_thenEachMistakeNamesItsKey() {
        assertThatThrownBy(() -> OK.withEndpoints("ftp://x", null, true)).hasMessageStartingWith("api-url:");
        assertThatThrownBy(() -> OK.withEndpoints(null, "https://gateway", true)).hasMessageStartingWith("gateway-url:");
    }

    @Test
    void givenAnApiUrlWithoutTrailingSlash_thenOneIsAdded() {
        assertThat(OK.withEndpoints("http://127.0.0.1:9/api/v10", null, false).apiUrl()).isEqualTo("http://127.0.0.1:9/api/v10/");
    }

    @Test
    void givenGuildScopeWithoutServers_orABadServerId_thenTheMistakeNamesGuildIds() {
        assertThatThrownBy(() -> OK.withCommandScope(DiscordBotSettings.CommandScope.GUILDS, List.of()))
                .hasMessageStartingWith("guild-ids:");
        assertThatThrownBy(() -> OK.withCommandScope(DiscordBotSettings.CommandScope.GUILDS, List.of("my-server")))
                .hasMessageStartingWith("guild-ids:");
    }

    @Test
    void givenShardsOutsideTheTotal_thenTheMistakeNamesShardIds() {
        assertThatThrownBy(() -> OK.withShards(2, List.of(2))).hasMessageStartingWith("shards.ids:");
        assertThatThrownBy(() -> OK.withShards(0, List.of(0))).hasMessageStartingWith("shards.ids:");
        assertThat(OK.withShards(3, List.of()).runShards()).containsExactly(0, 1, 2);
        assertThat(OK.withShards(3, List.of(1)).runShards()).containsExactly(1);
    }

    @Test
    void givenARolePlanWithoutAPlan_thenTheMistakeNamesTheRole() {
        assertThatThrownBy(() -> OK.withRolePlans(Map.of("Supporter", " "))).hasMessageStartingWith("role-plans.Supporter:");
    }

    @Test
    void theTokenNeverAppearsInTheSettingsText() {
        assertThat(OK.toString()).doesNotContain("secret-token-value").contains("token=***");
    }
}
