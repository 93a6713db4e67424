package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once started, a training run moves the launcher's note of its cache into place, and its recording ends after its
 * length unless pictor stops first; nothing happens outside one. (The real JVM's recording: {@code AotTrainingIT}.)
 */
class AotTrainingTest {
    private static final Duration LOOK = Duration.ofMillis(10);
    @TempDir
    Path dir;

    @Test
    void once_started_the_pending_note_replaces_the_emptied_one() throws Exception {
        Path note = Files.writeString(dir.resolve("pictor.aot.java"), "");
        Files.writeString(dir.resolve("pictor.aot.java.pending"), "java\nversion\n");

        assertThat(AotTraining.moveNote(note.toString())).isTrue();

        assertThat(note).hasContent("java\nversion\n");
        assertThat(dir.resolve("pictor.aot.java.pending")).doesNotExist();
    }

    @Test
    void outside_a_training_run_or_without_its_pending_note_nothing_is_written() {
        assertThat(AotTraining.moveNote(null)).isFalse();
        assertThat(AotTraining.moveNote("")).isFalse();
        assertThat(AotTraining.moveNote(dir.resolve("pictor.aot.java").toString())).isFalse();
        assertThat(dir.resolve("pictor.aot.java")).doesNotExist();
        // and outside a training run (this JVM has no pictor.aot.note) there is no recording to end
        try (var none = AotTraining.started(() -> true)) {
            assertThat(none).isSameAs(AotTraining.Recording.NONE);
        }
    }

    @Test
    void the_length_is_ten_minutes_unless_set_and_an_unreadable_one_falls_back_to_that() {
        assertThat(AotTraining.length(null)).isEqualTo(Duration.ofMinutes(10));
        assertThat(AotTraining.length(" ")).isEqualTo(Duration.ofMinutes(10));
        assertThat(AotTraining.length("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(AotTraining.length("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(AotTraining.length("soon")).isEqualTo(Duration.ofMinutes(10));
        assertThat(AotTraining.length("-5m")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void the_cache_is_the_note_without_its_java_suffix() {
        assertThat(AotTraining.cacheOf("/app/data/pictor.aot.java")).isEqualTo("/app/data/pictor.aot");
    }

    @Test
    void after_its_length_the_recording_is_ended_once_and_the_written_cache_is_told() throws Exception {
        Path cache = dir.resolve("pictor.aot");
        var ends = new AtomicInteger();
        try (var r = AotTraining.Recording.endingAfter(Duration.ofMillis(200), () -> true, Duration.ZERO, Duration.ofSeconds(10), LOOK, cache, () -> {
            ends.incrementAndGet();
            Files.write(cache, new byte[4096]); // as the JVM writes the cache when its recording ends
            return "Recording ended successfully.";
        })) {
            awaitOutcome(r);
            assertThat(r.outcome()).isEqualTo("written");
        }
        assertThat(ends).hasValue(1);
    }

    @Test
    void after_its_length_it_waits_for_jobs_to_have_stopped_for_a_while_before_the_jvms_pause() throws Exception {
        Path cache = dir.resolve("pictor.aot");
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        var endedWhileRunning = new java.util.concurrent.atomic.AtomicBoolean();
        var quietSince = new java.util.concurrent.atomic.AtomicLong();
        var endedAfterQuiet = new java.util.concurrent.atomic.AtomicLong();
        try (var r = AotTraining.Recording.endingAfter(Duration.ofMillis(50), () -> !running.get(), Duration.ofMillis(300), Duration.ofSeconds(10), LOOK,
                cache, () -> {
                    if (running.get()) endedWhileRunning.set(true);
                    endedAfterQuiet.set(System.nanoTime() - quietSince.get());
                    Files.write(cache, new byte[1]);
                    return "Recording ended successfully.";
                })) {
            Thread.sleep(600); // well past the length, with a job running throughout
            assertThat(r.outcome()).isNull();
            // a moment without jobs, too short, then jobs again
            running.set(false);
            Thread.sleep(100);
            running.set(true);
            Thread.sleep(400);
            assertThat(r.outcome()).isNull();
            // then the jobs stop for good
            quietSince.set(System.nanoTime());
            running.set(false);
            awaitOutcome(r);
            assertThat(r.outcome()).isEqualTo("written");
        }
        assertThat(endedWhileRunning).isFalse();
        assertThat(Duration.ofNanos(endedAfterQuiet.get())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void a_bot_busy_without_a_break_for_a_second_length_gets_its_cache_written_anyway() throws Exception {
        Path cache = dir.resolve("pictor.aot");
        long begin = System.nanoTime();
        try (var r = AotTraining.Recording.endingAfter(Duration.ofMillis(200), () -> false, Duration.ofMillis(50), Duration.ofMillis(200), LOOK, cache, () -> {
            Files.write(cache, new byte[1]);
            return "Recording ended successfully.";
        })) {
            awaitOutcome(r);
            assertThat(r.outcome()).isEqualTo("written, busy");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void a_jvm_that_wrote_nothing_or_refused_is_told_apart_from_a_written_cache() throws Exception {
        try (var r = AotTraining.Recording.endingAfter(Duration.ofMillis(50), () -> true, Duration.ZERO, Duration.ofSeconds(10), LOOK, dir.resolve("nothing.aot"),
                () -> "AOT.end_recording is unsupported when VM flags -XX:AOTMode=record or -XX:AOTCacheOutput=<file> are missing.")) {
            awaitOutcome(r);
            assertThat(r.outcome()).isEqualTo("not written");
        }
        try (var r = AotTraining.Recording.endingAfter(Duration.ofMillis(50), () -> true, Duration.ZERO, Duration.ofSeconds(10), LOOK, dir.resolve("refused.aot"), () -> {
            throw new javax.management.ReflectionException(new NoSuchMethodException("aotEndRecording"));
        })) {
            awaitOutcome(r);
            assertThat(r.outcome()).isEqualTo("failed");
        }
    }

    @Test
    void pictor_stopping_before_the_length_calls_the_end_off_and_leaves_the_writing_to_the_jvms_exit() throws Exception {
        var ends = new AtomicInteger();
        var r = AotTraining.Recording.endingAfter(Duration.ofMillis(300), () -> true, Duration.ZERO, Duration.ofSeconds(10), LOOK, dir.resolve("pictor.aot"), () -> {
            ends.incrementAndGet();
            return "Recording ended successfully.";
        });
        r.close();
        Thread.sleep(800); // well past the length
        assertThat(ends).hasValue(0);
        assertThat(r.outcome()).isNull();
    }

    @Test
    void pictor_stopping_while_the_jvm_writes_the_cache_waits_for_the_writing() throws Exception {
        var writing = new CountDownLatch(1);
        var letFinish = new CountDownLatch(1);
        Path cache = dir.resolve("pictor.aot");
        var r = AotTraining.Recording.endingAfter(Duration.ofMillis(10), () -> true, Duration.ZERO, Duration.ofSeconds(10), LOOK, cache, () -> {
            writing.countDown();
            assertThat(letFinish.await(10, TimeUnit.SECONDS)).isTrue();
            Files.write(cache, new byte[1]);
            return "Recording ended successfully.";
        });
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        var closed = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            r.close();
            closed.countDown();
        });
        assertThat(closed.await(300, TimeUnit.MILLISECONDS)).as("the stop went on while the cache was being written").isFalse();
        letFinish.countDown();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.outcome()).isEqualTo("written");
    }

    /** Waits (up to 10 s) until the recording's end came to something. */
    private static void awaitOutcome(AotTraining.Recording r) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.outcome() == null && System.nanoTime() < until) Thread.sleep(10);
    }
}
