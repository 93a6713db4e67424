package dev.pictor.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the database takes writes, for {@code /healthz}, answered within about a second whatever the database does.
 * A lost database file ({@link Database#lost()}) is down at once. Otherwise a write probe
 * ({@link Database#probeWrite}) runs at most once per {@link #PROBE_EVERY}, on a virtual thread of its own, and its
 * answer is kept for that long; a caller waits for a running probe at most {@link #ANSWER_WITHIN} and is told "down"
 * if it has not finished by then (a probe stuck on the file system is not started again until it ends).
 */
public final class StorageHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageHealth.class);
    public static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    public static final Duration ANSWER_WITHIN = Duration.ofMillis(900);
    /** How long the probe waits for another writer's lock: a write held longer than this makes storage down. */
    static final Duration PROBE_BUSY_TIMEOUT = Duration.ofMillis(500);

    /** Up, or down with the reason an operator reads. */
    public record Status(boolean up, String reason) {
        static final Status UP = new Status(true, null);

        static Status down(String reason) {
            return new Status(false, reason);
        }
    }

    private final Database db;
    private final ExecutorService probes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("storage-probe-", 0).factory());
    private final Object lock = new Object();
    private Status last;
    private long lastAt;
    private CompletableFuture<Status> running;

    public StorageHealth(Database db) {
        this.db = db;
    }

    /** The storage's state now, from a probe at most {@link #PROBE_EVERY} old; returns within about a second. */
    public Status status() {
        String lost = db.lost();
        if (lost != null) return Status.down(lost);
        CompletableFuture<Status> probe;
        synchronized (lock) {
            if (last != null && running == null && System.nanoTime() - lastAt < PROBE_EVERY.toNanos()) return last;
            if (running == null) {
                probe = CompletableFuture.supplyAsync(this::probe, probes);
                running = probe;
                probe.whenComplete((status, error) -> remember(probe, status));
            } else {
                probe = running;
            }
        }
        try {
            return probe.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Status.down("the database did not take a write within " + ANSWER_WITHIN.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.down("interrupted while probing the database");
        } catch (ExecutionException e) {
            return Status.down("the write probe failed: " + e.getCause());
        }
    }

    private Status probe() {
        try {
            db.probeWrite(PROBE_BUSY_TIMEOUT);
            return Status.UP;
        } catch (RuntimeException e) {
            return Status.down(e.getMessage());
        }
    }

    private void remember(CompletableFuture<Status> probe, Status status) {
        Status now = status == null ? Status.down("the write probe failed") : status;
        synchronized (lock) {
            Status before = last;
            last = now;
            lastAt = System.nanoTime();
            if (running == probe) running = null;
            if (now.up() && before != null && !before.up()) log.info("storage is up again: the database takes writes");
            if (!now.up() && (before == null || before.up() || !now.reason().equals(before.reason()))) {
                log.warn("storage is down: {}", now.reason());
            }
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
