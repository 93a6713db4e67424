package dev.pictor.config;

import java.time.Duration;

/**
 * {@code shutdown}: how long {@code pictor run}, once told to stop (SIGTERM, Ctrl-C), lets running jobs finish
 * ({@code grace}, default 30s, at most 10m). Jobs still running then are stopped, refunded and their members told.
 * A container's stop timeout must be longer than this, or the process is killed before it has refunded them.
 */
public record ShutdownConfig(Duration grace) {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    public static final Duration MAX_GRACE = Duration.ofMinutes(10);
    public static final ShutdownConfig DEFAULT = new ShutdownConfig(null);

    public ShutdownConfig {
        grace = Values.or(grace, DEFAULT_GRACE);
        Invalid.collector()
                .check(grace.compareTo(MAX_GRACE) <= 0, "grace", "must be at most " + Units.format(MAX_GRACE) + ", not " + Units.format(grace))
                .throwIfAny();
    }
}
