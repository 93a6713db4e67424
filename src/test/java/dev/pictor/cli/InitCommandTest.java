package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor init}: from an empty folder to a configuration that passes {@code check}, without overwriting anything. */
class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void init_in_an_empty_folder_writes_the_shipped_reference_files_and_then_check_passes() throws Exception {
        // when
        var init = CliRun.of(Map.of(), "init", dir.toString());
        // then the four files are there, exactly the repository's commented references
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(Files.readString(dir.resolve("config/pictor.yaml"))).isEqualTo(Files.readString(Path.of("config/pictor.yaml")));
        assertThat(Files.readString(dir.resolve("bots/discord.yaml"))).isEqualTo(Files.readString(Path.of("bots/discord.yaml")));
        assertThat(Files.readString(dir.resolve("bots/telegram.yaml"))).isEqualTo(Files.readString(Path.of("bots/telegram.yaml")));
        assertThat(Files.readString(dir.resolve(".env.example"))).contains("AIMLAPI_KEY=", "TELEGRAM_TOKEN=", "DISCORD_TOKEN=");
        assertThat(init.out().lines().toList()).containsExactly(dir.resolve("config/pictor.yaml").toString(),
                dir.resolve("bots/discord.yaml").toString(), dir.resolve("bots/telegram.yaml").toString(),
                dir.resolve(".env.example").toString());
        // and it says what to set next
        assertThat(init.err()).contains("Next:").contains("AIMLAPI_KEY").contains("TELEGRAM_TOKEN")
                .contains("cd " + dir + " && pictor check");
        // and check passes on what it wrote
        var check = CliRun.of(Map.of(), "check", "--config", dir.resolve("config/pictor.yaml").toString(),
                "--bots", dir.resolve("bots").toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("run would start: no bots; no providers (0 of 3 enabled).");
    }

    @Test
    void init_never_overwrites_a_file_an_admin_already_has_and_writes_nothing_then() throws Exception {
        // given an admin's own telegram profile
        Path mine = Files.createDirectories(dir.resolve("bots")).resolve("telegram.yaml");
        Files.writeString(mine, "platform: telegram\ntoken: ${MY_TOKEN}\n");
        // when
        var init = CliRun.of(Map.of(), "init", dir.toString());
        // then
        assertThat(init.exitCode()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(init.err()).contains(mine + " is already there; nothing was written");
        assertThat(Files.readString(mine)).isEqualTo("platform: telegram\ntoken: ${MY_TOKEN}\n");
        assertThat(dir.resolve("config/pictor.yaml")).doesNotExist();
        assertThat(dir.resolve("bots/discord.yaml")).doesNotExist();
        assertThat(dir.resolve(".env.example")).doesNotExist();
    }

    @Test
    void init_writes_every_file_the_repository_ships_in_config_and_bots() throws Exception {
        try (Stream<Path> shipped = Stream.concat(Files.list(Path.of("config")), Files.list(Path.of("bots")))) {
            assertThat(InitCommand.FILES.stream().map(InitCommand.File::path))
                    .containsAll(shipped.map(p -> p.toString().replace('\\', '/')).toList());
        }
    }
}
