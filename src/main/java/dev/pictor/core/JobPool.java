package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.text.Msg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The jobs in flight on an {@link ExecutorService}, which owns their threads: submitting runs a job there, draining
 * shuts it down, waits out the grace and interrupts what is left. A job that cannot start because pictor is
 * stopping (asked after the drain began, or still queued when it ended) is refused as "restarting", charging nothing.
 */
final class JobPool {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);
    /** How long interrupted jobs get to refund and close before the drain returns. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(5);

    private final ExecutorService executor;
    private final AtomicInteger running = new AtomicInteger();

    JobPool(ExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code job} on the executor. A full executor's {@link RejectedExecutionException} reaches the caller
     * (the member is told pictor is busy); a stopping one answers "restarting" through {@code delivery}.
     */
    CompletableFuture<JobOutcome> submit(Supplier<JobOutcome> job, Delivery delivery) {
        var task = new Task(job, delivery);
        if (executor.isShutdown()) return task.restarting();
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            if (!executor.isShutdown()) throw e;
            return task.restarting();
        }
        return task.outcome;
    }

    /**
     * Stops taking jobs, lets running ones finish for up to {@code grace}, then interrupts the rest. Returns how
     * many had to be interrupted.
     */
    int drain(Duration grace) throws InterruptedException {
        executor.shutdown();
        if (executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) return 0;
        int late = running.get();
        for (Runnable never : executor.shutdownNow()) {
            if (never instanceof Task task) task.restarting();
        }
        executor.awaitTermination(WIND_DOWN.toNanos(), TimeUnit.NANOSECONDS);
        if (late > 0) log.warn("shutdown: {} job(s) did not finish in {} s and were stopped and refunded", late, grace.toSeconds());
        return late;
    }

    /** Jobs running on the executor right now. */
    int running() {
        return running.get();
    }

    /** One submitted job and the future its submitter holds. */
    private final class Task implements Runnable {
        private final Supplier<JobOutcome> job;
        private final Delivery delivery;
        final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();

        Task(Supplier<JobOutcome> job, Delivery delivery) {
            this.job = job;
            this.delivery = delivery;
        }

        @Override
        public void run() {
            running.incrementAndGet();
            try {
                outcome.complete(job.get());
            } catch (Throwable e) { // as CompletableFuture.supplyAsync: the submitter's future holds it
                outcome.completeExceptionally(e);
            } finally {
                running.decrementAndGet();
            }
        }

        /** The one "restarting" answer: the member is told, nothing was opened or charged. */
        CompletableFuture<JobOutcome> restarting() {
            Refusal refusal = Refusal.of(Refusal.Reason.INTERRUPTED, Msg.JOB_RESTARTING);
            JobEndings.tell(delivery, refusal, "-");
            outcome.complete(new JobOutcome(null, JobStatus.REFUSED, 0, refusal));
            return outcome;
        }
    }
}
