package dev.pictor.core.port;

/**
 * What the core asks before it posts a job's images, so that a process whose job another process has repaired
 * (refunded, its member told: this one was cut off from the database long enough for its lease to be claimed) posts
 * nothing more for it: the term of this process's lease, whether it still holds that lease beyond doubt, and whether
 * a job is still open in the ledger as this process's. The store answers from what the database holds; the rule that
 * combines the answers is the core's, once ({@code PostGate}). {@link #NONE}: nothing to fence (no shared ledger).
 */
public interface JobFence {
    /** No lease and no shared ledger: every job may always post. */
    JobFence NONE = new JobFence() {
        @Override
        public long term() {
            return 0;
        }

        @Override
        public boolean holds(long term) {
            return true;
        }

        @Override
        public boolean ownsOpen(String jobId) {
            return true;
        }
    };

    /**
     * The term of this process's lease as it stands, read in memory: it changes each time the process takes its
     * lease again after finding it lost (claimed by another process, which repairs the jobs opened in the old term).
     */
    long term();

    /**
     * Whether this process holds its lease of {@code term} now beyond doubt: the term is still the current one and the
     * lease was renewed recently enough, by the local monotonic clock and with a margin, that no other process can
     * have claimed it yet (or, when that is not sure, it is renewed now and was still this process's). False when it
     * cannot be told (the database does not answer). Cheap when the lease is fresh: no database call.
     */
    boolean holds(long term);

    /** Whether job {@code jobId} is still open in the ledger and run by this process (one read by primary key). */
    boolean ownsOpen(String jobId);
}
