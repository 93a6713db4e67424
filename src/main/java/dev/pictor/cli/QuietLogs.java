package dev.pictor.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a command that speaks to a person at the terminal: pictor's own INFO lines (which repeat what the command
 * prints) are held back for as long as the command runs, unless {@code PICTOR_LOG_LEVEL} or {@code --verbose} asks
 * for them. Warnings and errors still show.
 */
final class QuietLogs implements AutoCloseable {
    private final Logger logger;
    private final Level before;

    private QuietLogs(Logger logger) {
        this.logger = logger;
        this.before = logger == null ? null : logger.getLevel();
        if (logger != null) logger.setLevel(Level.WARN);
    }

    static QuietLogs unless(boolean keep) {
        if (keep || !(LoggerFactory.getLogger("dev.pictor") instanceof Logger l)) return new QuietLogs(null);
        return new QuietLogs(l);
    }

    @Override
    public void close() {
        if (logger != null) logger.setLevel(before);
    }
}
