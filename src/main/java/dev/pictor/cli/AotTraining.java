package dev.pictor.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The launcher's training run ({@code bin/pictor} on Java 25+, issue #15): the JVM writes the ahead-of-time cache as it
 * exits, whatever happened before, so a {@code run} that stopped on a bad configuration or a wrong token would leave a
 * cache of almost nothing that later starts keep using. The launcher therefore writes its note of what the cache is for
 * to {@code NOTE.pending} and names {@code NOTE} in {@value #PROPERTY}; once pictor has started, the note is moved into
 * place, and only a cache with its note counts.
 */
final class AotTraining {
    static final String PROPERTY = "pictor.aot.note";
    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);

    private AotTraining() {
    }

    /** pictor has started: the cache this run records is worth keeping (nothing to do outside a training run). */
    static void started() {
        started(System.getProperty(PROPERTY));
    }

    /** Moves {@code note}'s pending copy into place; false when there is none (not a training run) or it cannot be. */
    static boolean started(String note) {
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
}
