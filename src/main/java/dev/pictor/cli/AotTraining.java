package dev.pictor.cli;

import dev.pictor.config.Units;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The launcher's training run ({@code bin/pictor} on Java 25+, issue #15).
 * <p>
 * Its note: the JVM writes the ahead-of-time cache whatever happened before, so a {@code run} that stopped on a bad
 * configuration or a wrong token would leave a cache of almost nothing that later starts keep using. The launcher
 * therefore writes its note of what the cache is for to {@code NOTE.pending} and names {@code NOTE} in
 * {@value #PROPERTY}; once pictor has started, the note is moved into place, and only a cache with its note counts.
 * <p>
 * Its length: left alone, the JVM records until it exits, which for a first run in a container may be weeks, and a
 * stop that is cut short then (kill -9, Docker's kill after its stop timeout, the host going down) loses the cache:
 * every later start records again. So once pictor has served for {@value #LENGTH_PROPERTY} (default
 * {@link #DEFAULT_LENGTH}), the recording is ended ({@code jcmd AOT.end_recording}, through the JVM's own diagnostic
 * command bean): the JVM writes the cache then, and not again when it exits. Writing it stops every thread of the JVM
 * for 1-2 s (a safepoint that dumps what was recorded; a child JVM then assembles the cache while pictor serves), so it
 * waits for a quiet moment, no job running for {@link #QUIET_FOR}; a bot busy without such a break for
 * {@link #QUIET_WITHIN} more gets the pause anyway. A run stopped sooner writes the cache as it exits, as before.
 */
final class AotTraining {
    static final String PROPERTY = "pictor.aot.note";
    /** How long a training run records once pictor has started, written as durations are in the configuration. */
    static final String LENGTH_PROPERTY = "pictor.aot.training";
    static final Duration DEFAULT_LENGTH = Duration.ofMinutes(10);
    /** How long no job may have run before the recording is ended, so that the JVM's pause hits nobody. */
    static final Duration QUIET_FOR = Duration.ofSeconds(5);
    /** How long past its length the recording waits for a quiet moment before it is ended anyway. */
    static final Duration QUIET_WITHIN = Duration.ofHours(1);
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);

    private AotTraining() {
    }

    /**
     * pictor has started: the cache this run records is worth keeping, and the recording ends after its length, at a
     * moment {@code quiet} says nothing runs (nothing happens outside a training run). Close what this returns when
     * pictor stops.
     */
    static Recording started(BooleanSupplier quiet) {
        String note = System.getProperty(PROPERTY);
        if (!moveNote(note)) return Recording.NONE;
        Duration length = length(System.getProperty(LENGTH_PROPERTY));
        return Recording.endingAfter(length, quiet, QUIET_FOR, QUIET_WITHIN, LOOK_EVERY, Path.of(cacheOf(note)), AotTraining::end);
    }

    /** Moves {@code note}'s pending copy into place; false when there is none (not a training run) or it cannot be. */
    static boolean moveNote(String note) {
        if (note == null || note.isEmpty()) return false;
        Path target = Path.of(note);
        Path pending = Path.of(note + ".pending");
        try {
            Files.move(pending, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("the ahead-of-time cache this run records will not be used (its note {} could not be written: {})",
                    target, e.toString());
            return false;
        }
    }

    /** The recording's length from {@value #LENGTH_PROPERTY}: the default when unset, or (said once) when unreadable. */
    static Duration length(String text) {
        if (text == null || text.isBlank()) return DEFAULT_LENGTH;
        try {
            return Units.duration(text);
        } catch (IllegalArgumentException e) {
            log.warn("-D{}: {}; the ahead-of-time cache is recorded for {} instead", LENGTH_PROPERTY, e.getMessage(),
                    Units.format(DEFAULT_LENGTH));
            return DEFAULT_LENGTH;
        }
    }

    /** The launcher names the cache's note {@code CACHE.java}. */
    static String cacheOf(String note) {
        return note.endsWith(".java") ? note.substring(0, note.length() - ".java".length()) : note;
    }

    /** Ends the JVM's recording, which writes the cache now; what the JVM answered (it says when it cannot). */
    private static String end() throws JMException {
        var server = ManagementFactory.getPlatformMBeanServer();
        Object answer = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "aotEndRecording",
                new Object[0], new String[0]);
        return String.valueOf(answer).strip();
    }

    /** How the JVM's recording is ended; {@link #end} is the real one, tests give their own. */
    @FunctionalInterface
    interface Ender {
        String end() throws Exception;
    }

    /**
     * A training run's recording, ended by a timer after its length once nothing has run for a while (or, busy
     * throughout, some time later), unless pictor stops first.
     */
    static final class Recording implements AutoCloseable {
        static final Recording NONE = new Recording(null, null, null, null, null, null, null, null);
        private final Duration length;
        private final Duration giveUpAfter;
        private final BooleanSupplier quiet;
        private final Duration quietFor;
        private final Duration lookEvery;
        private final Path cache;
        private final Ender ender;
        private final Thread timer;
        private final ReentrantLock ending = new ReentrantLock();
        private boolean closed;
        private volatile String outcome;

        private Recording(Duration length, BooleanSupplier quiet, Duration quietFor, Duration giveUpAfter,
                          Duration lookEvery, Path cache, Ender ender, Thread.Builder timer) {
            this.length = length;
            this.giveUpAfter = giveUpAfter;
            this.quiet = quiet;
            this.quietFor = quietFor;
            this.lookEvery = lookEvery;
            this.cache = cache;
            this.ender = ender;
            // a platform thread: the JVM's command runs in native code for the seconds the cache takes to write
            this.timer = timer == null ? null : timer.unstarted(this::waitThenEnd);
        }

        /**
         * Ends the recording after {@code length}, once {@code quiet} held for {@code quietFor} (looked at every
         * {@code lookEvery}), or when it did not for {@code giveUpAfter} more.
         */
        static Recording endingAfter(Duration length, BooleanSupplier quiet, Duration quietFor, Duration giveUpAfter,
                                     Duration lookEvery, Path cache, Ender ender) {
            var r = new Recording(length, quiet, quietFor, giveUpAfter, lookEvery, cache, ender,
                    Thread.ofPlatform().name("pictor-aot-training").daemon());
            r.timer.start();
            log.info("recording the ahead-of-time cache {} for {} more; the JVM writes it then, once no job runs"
                    + " (or when pictor stops, if sooner)", cache, Units.format(length));
            return r;
        }

        private void waitThenEnd() {
            boolean quietly;
            try {
                Thread.sleep(length);
                quietly = awaitQuiet();
            } catch (InterruptedException e) {
                return; // pictor stops first: the JVM writes the cache as it exits
            }
            ending.lock();
            try {
                if (closed) return;
                long begin = System.nanoTime();
                String answer = ender.end();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
                    outcome = quietly ? "written" : "written, busy";
                    log.info("the ahead-of-time cache {} is written ({} MB, {} ms{}): later starts use it; the JVM said: {}",
                            cache, Files.size(cache) / (1024 * 1024), millis,
                            quietly ? "" : ", with jobs running: no quiet moment came in " + Units.format(giveUpAfter), answer);
                } else {
                    outcome = "not written";
                    log.warn("the ahead-of-time cache {} was not written when its recording ended; the JVM said: {}", cache, answer);
                }
            } catch (Exception e) {
                outcome = "failed";
                log.warn("could not end the recording of the ahead-of-time cache {} ({}); the JVM writes it when pictor stops",
                        cache, e.toString());
            } finally {
                ending.unlock();
            }
        }

        /**
         * Waits until {@link #quiet} has held at every look for {@link #quietFor}; true then, false when
         * {@link #giveUpAfter} passed without such a moment.
         */
        private boolean awaitQuiet() throws InterruptedException {
            long start = System.nanoTime();
            Long quietSince = null; // (nanoTime may be negative: no sentinel value)
            while (System.nanoTime() - start < giveUpAfter.toNanos()) {
                long now = System.nanoTime();
                if (!quiet.getAsBoolean()) {
                    quietSince = null;
                } else {
                    if (quietSince == null) quietSince = now;
                    if (now - quietSince >= quietFor.toNanos()) return true;
                }
                Thread.sleep(lookEvery);
            }
            return false;
        }

        /**
         * What came of ending it: null while it records (or outside a training run), else written (at a quiet moment) /
         * written, busy (none came) / not written / failed.
         */
        String outcome() {
            return outcome;
        }

        /** pictor stops: the timer is called off, or, if the JVM is writing the cache right now, awaited. */
        @Override
        public void close() {
            if (timer == null) return;
            boolean idle = ending.tryLock();
            if (!idle) ending.lock(); // the JVM is writing the cache: the stop waits for it (a few seconds)
            try {
                closed = true;
                if (idle) timer.interrupt();
            } finally {
                ending.unlock();
            }
        }
    }
}
