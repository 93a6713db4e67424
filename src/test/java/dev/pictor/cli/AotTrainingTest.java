package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Once started, a training run moves the launcher's note of its cache into place; nothing happens outside one. */
class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void once_started_the_pending_note_replaces_the_emptied_one() throws Exception {
        Path note = Files.writeString(dir.resolve("pictor.aot.java"), "");
        Files.writeString(dir.resolve("pictor.aot.java.pending"), "java\nversion\n");

        assertThat(AotTraining.started(note.toString())).isTrue();

        assertThat(note).hasContent("java\nversion\n");
        assertThat(dir.resolve("pictor.aot.java.pending")).doesNotExist();
    }

    @Test
    void outside_a_training_run_or_without_its_pending_note_nothing_is_written() {
        assertThat(AotTraining.started(null)).isFalse();
        assertThat(AotTraining.started("")).isFalse();
        assertThat(AotTraining.started(dir.resolve("pictor.aot.java").toString())).isFalse();
        assertThat(dir.resolve("pictor.aot.java")).doesNotExist();
    }
}
