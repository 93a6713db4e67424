package dev.pictor.core;

import dev.pictor.core.port.JobFence;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule that decides whether a job may still post its images (asked before each post, by the core and by
 * the adapter through {@link dev.pictor.core.port.PostReceipts#mayPost}): this process still holds, beyond doubt, the
 * lease of the term the job was opened in, and the ledger still has the job open as this process's (one read by its
 * key, before every post: a repair may come between two posts). Once it says no it says no for good: the job is
 * another process's to end (it closed it, refunded what was not delivered and told the member), so this one posts
 * nothing more, records no second end and tells nobody; the refusal is logged at WARN once.
 *
 * <p>When the lease or the ledger cannot be asked (the database is away for a moment), that is not a no: it asks
 * again a few times over about two seconds, and if it still cannot tell, it stops the posting without latching a no
 * ({@link #unsure()}): the job then ends here as a failed delivery — refunded what was not posted, the member told —
 * rather than waiting, untold, for a repair that nobody is going to make while this process's lease stands. If
 * another process did repair it after all, the ledger takes the first end and refund only.
 */
final class PostGate {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);
    /** The pauses between the asks when the lease or the ledger cannot be asked. */
    private static final long[] PAUSES_MILLIS = {250, 500, 1_000};

    private final JobFence fence;
    private final String jobId;
    private final long term;
    private final ReentrantLock asking = new ReentrantLock(); // not synchronized: a virtual thread waits here on JDK 21
    private volatile boolean denied;
    private volatile boolean unsure;

    /** The gate of job {@code jobId}, in the lease term that stands now (take it before the job is recorded). */
    PostGate(JobFence fence, String jobId) {
        this.fence = fence;
        this.jobId = jobId;
        this.term = fence.term();
    }

    /** Whether the job may post now; false from the first no on, and false while the answer cannot be had. */
    boolean mayPost() {
        asking.lock();
        try {
            if (denied) return false;
            Asked<String> asked = ask(() -> {
                if (!fence.holds(term)) {
                    return "this process no longer holds, beyond doubt, the lease it opened the job under "
                            + "(it was cut off from the database, or its lease was claimed by another process)";
                }
                return fence.ownsOpen(jobId) ? "" : "the ledger no longer has the job open as this process's";
            });
            if (asked.answered()) {
                if (!asked.answer().isEmpty()) return deny(asked.answer());
                unsure = false;
                return true;
            }
            if (!unsure) {
                log.warn("job {}: not posting (more) now: its lease and the ledger could not be asked ({}); it ends here "
                        + "as a failed delivery", jobId, asked.why());
            }
            unsure = true;
            return false;
        } finally {
            asking.unlock();
        }
    }

    /**
     * Whether this process still holds, beyond doubt, the lease the job was just recorded under: asked once, before
     * anything is charged. A lease lost just as the job was recorded may have been claimed by a process whose repair
     * read the open jobs a moment before this one was there: nobody would end it then but the stale-job rule, an
     * hour later, after the member had been charged and the provider paid for nothing. So such a job is not run: the
     * caller ends it here, nothing charged (and when the other process did see it and end it first, the ledger keeps
     * that first end). When the lease cannot be asked, it asks again as {@link #mayPost} does; false if it still
     * cannot tell.
     */
    boolean heldAtOpen() {
        Asked<Boolean> asked = ask(() -> fence.holds(term));
        if (!asked.answered()) {
            log.warn("job {}: not run: the lease it was recorded under could not be asked ({})", jobId, asked.why());
            return false;
        }
        if (!asked.answer()) {
            log.warn("job {}: not run: this process lost the lease it was recorded under just then (cut off from the "
                    + "database, or its lease claimed by another process)", jobId);
        }
        return asked.answer();
    }

    /** An answer of the fence, or (answer null) why there was none: the last failure to ask. */
    private record Asked<T>(T answer, RuntimeException failure) {
        boolean answered() {
            return answer != null;
        }

        String why() {
            return failure == null ? "interrupted" : failure.toString();
        }
    }

    /** Asks the fence {@code question}, and again after each of {@link #PAUSES_MILLIS} while it cannot be asked. */
    private static <T> Asked<T> ask(java.util.function.Supplier<T> question) {
        RuntimeException last = null;
        for (int attempt = 0; attempt <= PAUSES_MILLIS.length; attempt++) {
            if (attempt > 0 && !pause(PAUSES_MILLIS[attempt - 1])) break;
            try {
                return new Asked<>(question.get(), null);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        return new Asked<>(null, last);
    }

    /** Whether the gate has said no: the job is another process's to end. */
    boolean denied() {
        return denied;
    }

    /** Whether the last ask could not be answered (not a no): the job ends here, as a failed delivery. */
    boolean unsure() {
        return unsure && !denied;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean deny(String why) {
        denied = true;
        log.warn("job {}: not posting its images and not ending it here: {}; another process repairs (or has repaired) "
                + "it, refunding what was not delivered and telling the member", jobId, why);
        return false;
    }
}
