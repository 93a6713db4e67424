package dev.pictor.cli;

import dev.pictor.discord.fake.FakeDiscord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor run} with the shipped configuration, the Discord profile pointed at a fake Discord. */
class RunDiscordTest {
    @TempDir
    Path dir;

    @Test
    void aDiscordProfileStarting_printsTheBotsNameAndTheReadmesInviteLinkForIt_neverTheToken() throws Exception {
        try (FakeDiscord discord = FakeDiscord.start()) {
            // when run starts with the shipped files and DISCORD_TOKEN set
            var run = CliRun.of(Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"), "PICTOR_HTTP_PORT", "0",
                    "DISCORD_TOKEN", FakeDiscord.TOKEN, "DISCORD_API_URL", discord.apiUrl(),
                    "DISCORD_GATEWAY_URL", discord.gatewayUrl()), "run", "--stop-after-start");

            // then the operator reads the bot's Discord name and the link that invites this application
            assertThat(run.exitCode()).as(run.err()).isZero();
            String invite = "https://discord.com/oauth2/authorize?client_id=" + FakeDiscord.APP_ID
                    + "&scope=bot+applications.commands&permissions=52224";
            assertThat(run.err()).contains("started discord bot discord (pictor, invite: " + invite + ")")
                    .doesNotContain(FakeDiscord.TOKEN);
            // and it is the link the README gives, for this application
            assertThat(Files.readString(Path.of("README.md")))
                    .contains(invite.replace(String.valueOf(FakeDiscord.APP_ID), "<APPLICATION_ID>"));
        }
    }
}
