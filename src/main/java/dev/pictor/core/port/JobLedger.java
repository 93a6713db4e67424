package dev.pictor.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs are recorded: opened when accepted, started when generation begins, answered when a provider gave the
 * images, each post recorded as the platform confirms it, closed once, terminally.
 */
public interface JobLedger {
    /**
     * Records a new job; false (nothing recorded) when a job of the same {@link JobRecord#origin} is recorded already:
     * the event that asked for it was taken before (redelivered, or re-run after a crash) and must not run twice.
     */
    boolean opened(JobRecord job);

    void started(String jobId, Instant at);

    /**
     * The provider answered: which route, what it cost and the seed and rewritten prompt it reported, kept before
     * delivery so that a crash during upload still knows what was spent.
     */
    void answered(String jobId, String provider, String providerModel, Double spend, Long seed, String revisedPrompt);

    /**
     * As {@link #answered(String, String, String, Double, Long, String)}, with what the answer cost in the configured
     * currency ({@code cost}, null when unknown), so that a repair after a crash settles the job's spend hold with it.
     */
    default void answered(String jobId, String provider, String providerModel, Double spend, Double cost, Long seed,
                          String revisedPrompt) {
        answered(jobId, provider, providerModel, spend, seed, revisedPrompt);
    }

    /**
     * Messages the platform confirmed for a job, recorded at once with the images they hold: a repair after a crash
     * refunds only what did not reach the chat.
     */
    void posted(String jobId, List<JobPost> posts);

    void closed(JobClosing closing);

    /** A recorded job by id, for buttons pressed later (even after a restart). */
    Optional<JobView> find(String jobId);

    /**
     * What tells whether this process may still post for its jobs (its lease, and whether a job is still its own and
     * open): {@link JobFence#NONE} for a ledger no other process shares.
     */
    default JobFence fence() {
        return JobFence.NONE;
    }
}
