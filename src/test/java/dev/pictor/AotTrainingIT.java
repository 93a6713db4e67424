package dev.pictor;

import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher's training run with the real jar on the real Java 25 (issue #15): a first run records the
 * ahead-of-time cache for its length only ({@code -Dpictor.aot.training}, 10 minutes unless set; 2 s here), and the
 * JVM writes the cache then, once no job has run for 5 s, while pictor goes on serving, not only when it stops. So the
 * cache is there even if that first run is later killed, and the next start maps it. Run by {@code ./mvnw verify}
 * (failsafe).
 */
class AotTrainingIT {
    static final User MIA = new User(4242, "Mia", "mia");
    static final Chat MIA_DM = Chat.privateWith(MIA);

    @TempDir
    Path dir;
    JarRig rig;

    @BeforeEach
    void fakes() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the ahead-of-time cache needs Java 25 to run the tests");
        rig = new JarRig(dir);
        rig.viaLauncher = true;
    }

    @AfterEach
    void stop() {
        if (rig == null) return;
        var violations = rig.telegram.violations();
        rig.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }

    @Test
    void aFirstRunWritesTheCacheOnceItsRecordingLengthIsOverAndNoJobRuns_keepsServing_isNotRewrittenAtTheStop_andTheNextStartMapsIt()
            throws Exception {
        // given the launcher, no cache yet, and a recording length of 2 s
        Path cache = dir.resolve("data").resolve("pictor.aot");
        rig.env.put("PICTOR_AOT_CACHE", cache.toString());
        // (and an option of the admin's that holds a secret: the JVM that writes the cache is handed every option)
        rig.env.put("JAVA_OPTS", "-Dpictor.aot.training=2s -Dpictor.test.password=" + NOT_SHOWN);
        Files.createDirectories(cache.getParent());

        // when pictor starts
        rig.startReady();
        // then the launcher says this run records a cache, and pictor for how long
        assertThat(JarRig.read(rig.output)).contains("this run records one to " + cache)
                .contains("recording the ahead-of-time cache " + cache + " for 2s more");
        // when Mia asks at once for a picture the provider is slow to make, and it is still making it well past the 2 s
        int snail = rig.telegram.says(MIA_DM, MIA, "/imagine a slow snail");
        assertThat(rig.slowArrived.await(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the provider got the slow request").isTrue();
        Thread.sleep(8_000); // the 2 s, the 5 s without a job it waits for, and a second more
        // then the recording has not been ended while her job runs (the JVM's pause would have hit it)
        assertThat(JarRig.read(rig.output)).doesNotContain("is written");
        assertThat(cache).doesNotExist();
        // when her picture is made and delivered
        rig.releaseSlow();
        rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("photo") && m.replyTo == snail);
        // then, with no job running, the JVM writes the cache while pictor runs: whole (its temporary file gone)
        String written = awaitLine("the ahead-of-time cache " + cache + " is written");
        assertThat(written).contains("later starts use it").doesNotContain("with jobs running");
        assertThat(rig.process.isAlive()).isTrue();
        assertThat(cache).isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1024 * 1024);
        assertThat(cache.resolveSibling("pictor.aot.config")).doesNotExist();
        // and the options that JVM picked up are not shown
        assertThat(JarRig.read(rig.output)).contains("Picked up JAVA_TOOL_OPTIONS: (this run's options, not shown")
                .doesNotContain(NOT_SHOWN);
        FileTime writtenAt = Files.getLastModifiedTime(cache);
        long size = Files.size(cache);

        // and pictor still serves: Mia's fox arrives
        int fox = rig.telegram.says(MIA_DM, MIA, "/imagine a fox");
        Sent photo = rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("photo") && m.replyTo == fox);
        assertThat(photo.caption).startsWith("a fox");

        // when it is stopped
        rig.process.destroy(); // SIGTERM
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(rig.process.exitValue()).as(JarRig.read(rig.output)).isZero();
        // then the JVM did not write the cache again on its way out
        assertThat(Files.getLastModifiedTime(cache)).isEqualTo(writtenAt);
        assertThat(Files.size(cache)).isEqualTo(size);

        // when pictor starts again
        rig.startReady();
        // then it records nothing, and its JVM has the cache mapped
        assertThat(JarRig.read(rig.output)).doesNotContain("records one").doesNotContain("recording the ahead-of-time cache");
        assertThat(Files.readString(Path.of("/proc", Long.toString(rig.process.pid()), "maps"))).contains(cache.toString());
        rig.process.destroy();
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Files.getLastModifiedTime(cache)).isEqualTo(writtenAt);
    }

    /** A secret of the admin's, in an option. */
    private static final String NOT_SHOWN = "hunter2-in-an-option";

    /** The first line of the current run's output that contains {@code text}, waiting up to a minute for it. */
    private String awaitLine(String text) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            var line = JarRig.read(rig.output).lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) return line.get();
            assertThat(rig.process.isAlive()).as(JarRig.read(rig.output)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no line with \"" + text + "\" within a minute:\n" + JarRig.read(rig.output));
    }
}
