package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that cannot be opened ends every command that needs it with its own exit code, {@link ExitCodes#STORAGE}
 * (5), not the "not available in this build" one, and says which storage.url it could not open.
 */
class DatabaseExitCodeTest {
    @TempDir
    Path dir;

    /** storage.url under a plain file: the database's folder can never be made. */
    private Map<String, String> env() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        return Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + notAFolder.resolve("pictor.db"),
                "PICTOR_HTTP_PORT", "0",
                "TELEGRAM_TOKEN", "123456:token-of-a-bot-that-never-starts",
                "TELEGRAM_API_URL", "http://127.0.0.1:9");
    }

    @Test
    void run_withADatabaseItCannotOpen_exits5_namingTheStorageUrl_andStartsNoBot() throws IOException {
        var run = CliRun.of(env(), "run", "--stop-after-start");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.STORAGE).isEqualTo(5);
        assertThat(run.err()).contains("cannot open the database at storage.url").contains("not-a-folder")
                .doesNotContain("started telegram bot").doesNotContain("token-of-a-bot");
    }

    @Test
    void run_withADiscordBot_andADatabaseItCannotOpen_exits5_withoutIdentifying() throws Exception {
        // the bot logs in while the database opens (#15); a failed store must not spend a daily session start
        var fake = dev.pictor.discord.fake.FakeDiscord.start();
        try {
            var env = new java.util.HashMap<>(env());
            env.remove("TELEGRAM_TOKEN");
            env.putAll(Map.of("DISCORD_TOKEN", dev.pictor.discord.fake.FakeDiscord.TOKEN, "DISCORD_API_URL", fake.apiUrl(),
                    "DISCORD_GATEWAY_URL", fake.gatewayUrl()));
            var run = CliRun.of(env, "run", "--stop-after-start");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.STORAGE);
            Thread.sleep(1_000); // an IDENTIFY a shard would still send
            assertThat(fake.identifies()).isEmpty();
            assertThat(run.err()).doesNotContain(dev.pictor.discord.fake.FakeDiscord.TOKEN);
        } finally {
            fake.close();
        }
    }

    @Test
    void imagine_withADatabaseItCannotOpen_exits5_withASentence_notAStackTrace() throws IOException {
        var run = CliRun.of(env(), "imagine", "a red fox");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.STORAGE);
        assertThat(run.err()).contains("imagine: cannot open the database at storage.url").doesNotContain("\tat ");
    }

    @Test
    void quota_withADatabaseItCannotOpen_exits5() throws IOException {
        var run = CliRun.of(env(), "quota", "show", "discord:42");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.STORAGE);
        assertThat(run.err()).contains("pictor quota: cannot create the directory");
    }

    @Test
    void theHelpListsExitCode5() {
        var run = CliRun.of(Map.of(), "--help");

        assertThat(run.out()).contains("5", "the database (storage.url) cannot be opened or used");
    }
}
