package dev.pictor.discord;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Acknowledgements before job work. Acknowledging an interaction costs little CPU; starting its job (validation, the
 * quota charge and ledger writes, the provider's connection and request) costs much more. In a burst, and most of
 * all right after start-up while the JVM is still compiling, jobs started beside the acknowledgements of the
 * interactions behind them make those acknowledgements late, and Discord fails an interaction not acknowledged
 * within 3 s. So a worker about to start a job first waits while any acknowledgement of this bot is still in flight,
 * but never past {@code patience} after the job's interaction reached the bot: in a burst the jobs start once its
 * acknowledgements are out, and a busy bot's steady stream of acknowledgements delays no job by more than that.
 */
final class AckFirst {
    /** How long after its interaction came in a job may be held back for acknowledgements in flight. */
    static final Duration PATIENCE = Duration.ofMillis(1500);

    private final long patienceNanos;
    private int inFlight; // guarded by this

    AckFirst(Duration patience) {
        this.patienceNanos = patience.toNanos();
    }

    /** Counts {@code ack} as in flight until it completes, however it completes; returns it. */
    <T> CompletableFuture<T> track(CompletableFuture<T> ack) {
        synchronized (this) {
            inFlight++;
        }
        ack.whenComplete((ok, failed) -> done());
        return ack;
    }

    private synchronized void done() {
        if (--inFlight == 0) notifyAll();
    }

    /** Acknowledgements sent and not yet answered. */
    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Waits until no acknowledgement is in flight, or until {@code patience} after {@code arrivedNanos} (a
     * {@link System#nanoTime()}), whichever comes first. Returns whether it ended quiet.
     */
    synchronized boolean awaitQuiet(long arrivedNanos) throws InterruptedException {
        long deadline = arrivedNanos + patienceNanos;
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
    }
}
