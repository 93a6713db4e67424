package dev.pictor.discord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that does a command's work after the event thread has acknowledged it: validation, quota and
 * ledger reads, admin operations, handing jobs to the core. When it is full, the caller tells the member to try
 * again instead of letting work pile up without limit.
 */
final class Workers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;

    Workers(String name, int threads, int maxPending) {
        var counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxPending),
                r -> {
                    Thread t = new Thread(r, "pictor-discord-" + name + "-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pictor-discord-" + name + "-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread for delayed progress edits (each only queues a request). */
    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Queues the task; when the pool is full or closed (nothing was queued), tells the member to try again, from the
     * timer's thread ({@link #later}). Returns whether the task was queued.
     */
    boolean offer(Runnable task, Reply reply) {
        if (offer(task)) return true;
        later(() -> reply.tell(DiscordText.busy()));
        return false;
    }

    /**
     * Runs a short answer on the timer's thread, not on JDA's event thread: writing it reads the member's language,
     * which may read the storage (a community's chosen language), and a slow read there would hold up every
     * member's acknowledgement. For the rare answers that cannot wait for the pool: it is full, or it is the answer
     * to something that failed.
     */
    void later(Runnable answer) {
        try {
            timer.execute(logged(answer, "a Discord answer failed"));
        } catch (RejectedExecutionException e) {
            log.warn("stopping: an answer was not sent");
        }
    }

    /** Queues the task; false when the pool is full or closed (nothing was queued). */
    boolean offer(Runnable task) {
        try {
            pool.execute(logged(task, "a Discord command failed"));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** {@code work}, its failure logged as {@code failed} instead of ending the thread's task silently. */
    private static Runnable logged(Runnable work, String failed) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                log.error(failed, e);
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
