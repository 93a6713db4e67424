package dev.pictor.core;

import dev.pictor.core.port.JobFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule that decides whether a job may still post its images (asked before each post, by the core and by
 * the adapter through {@link dev.pictor.core.port.PostReceipts#mayPost}): this process still holds, beyond doubt, the
 * lease of the term the job was opened in, and — read once, before the job's first post — the ledger still has the
 * job open as this process's. Once it says no it says no for good: the job is another process's to end (it closed it,
 * refunded what was not delivered and told the member), so this one posts nothing more, records no second end and
 * tells nobody; the refusal is logged at WARN once. When the lease or the ledger cannot be asked, it says no as well:
 * an image posted for a job already refunded cannot be taken back, a job left open is repaired.
 */
final class PostGate {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    private final JobFence fence;
    private final String jobId;
    private final long term;
    private boolean jobChecked;
    private volatile boolean denied;

    /** The gate of job {@code jobId}, in the lease term that stands now (take it before the job is recorded). */
    PostGate(JobFence fence, String jobId) {
        this.fence = fence;
        this.jobId = jobId;
        this.term = fence.term();
    }

    /** Whether the job may post now; false from the first no on. */
    synchronized boolean mayPost() {
        if (denied) return false;
        try {
            if (!fence.holds(term)) {
                return deny("this process no longer holds, beyond doubt, the lease it opened the job under "
                        + "(it was cut off from the database, or its lease was claimed by another process)");
            }
            if (!jobChecked) {
                if (!fence.ownsOpen(jobId)) return deny("the ledger no longer has the job open as this process's");
                jobChecked = true;
            }
            return true;
        } catch (RuntimeException e) {
            return deny("its lease and the ledger could not be asked (" + e + ")");
        }
    }

    /** Whether the gate has said no: the job is another process's to end. */
    boolean denied() {
        return denied;
    }

    private boolean deny(String why) {
        denied = true;
        log.warn("job {}: not posting its images and not ending it here: {}; another process repairs (or has repaired) "
                + "it, refunding what was not delivered and telling the member", jobId, why);
        return false;
    }
}
