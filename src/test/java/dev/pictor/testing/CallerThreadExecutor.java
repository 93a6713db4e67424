package dev.pictor.testing;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An {@link java.util.concurrent.ExecutorService} that runs each task on the thread that hands it over, so that a
 * test's {@code submit} has finished when it returns. Shutting it down refuses new tasks; it has terminated once
 * the tasks running on their callers' threads have returned.
 */
public class CallerThreadExecutor extends AbstractExecutorService {
    private int running;
    private boolean shutdown;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shutdown) throw new java.util.concurrent.RejectedExecutionException("shut down");
            running++;
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                running--;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    /** Stops taking tasks; those running on their callers' threads are the callers' to stop. */
    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && running == 0;
    }

    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
