package dev.pictor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** "Admins deploy one jar": the built jar alone in an empty folder, {@code init}, then {@code check} passes there. */
class InitIT {
    @TempDir
    Path dir;

    private int java(Path log, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", "pictor.jar"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String v : List.of("AIMLAPI_KEY", "THETURBO_API_KEY", "LUMENFALL_API_KEY", "DISCORD_TOKEN", "TELEGRAM_TOKEN")) pb.environment().remove(v);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void the_jar_alone_in_an_empty_folder_inits_and_then_passes_check() throws Exception {
        // given only the jar
        Files.copy(Path.of(System.getProperty("pictor.jar", "target/pictor.jar")), dir.resolve("pictor.jar"));
        Path log = dir.resolve("log");
        // before init, check names what is missing and how to get it
        assertThat(java(log, "check")).isEqualTo(3);
        assertThat(Files.readString(log)).contains("config/pictor.yaml: file not found (`pictor init` writes the commented reference files)");
        // when
        assertThat(java(log, "init")).as(Files.readString(log)).isZero();
        // then
        assertThat(java(log, "check")).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("configuration config/pictor.yaml and bot profiles in bots: OK");
    }
}
