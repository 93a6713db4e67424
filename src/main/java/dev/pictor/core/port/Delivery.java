package dev.pictor.core.port;

import dev.pictor.core.Refusal;

/**
 * How one job's member hears back, implemented by each adapter for each command: progress, the images, or the
 * refusal. Calls come from a worker thread, never the platform's event thread.
 */
public interface Delivery {
    enum Progress { QUEUED, GENERATING }

    /**
     * The job is recorded in the ledger (called once, before anything else): from here on a crash is repaired at the
     * next start (refunded, the member told), so the adapter may forget the request that asked for it.
     */
    default void accepted(String jobId) {
    }

    /**
     * The platform event that asked for this job, unique per event (e.g. {@code telegram:<profile>:<update id>}), or
     * null: the ledger runs at most one job per origin, so an event redelivered or re-run after a crash is not run twice.
     */
    default String origin() {
        return null;
    }

    /**
     * The chat the job answers in (a Discord channel id, a Telegram chat id), from the platform's event; null when
     * there is none (the terminal). Where the admins are warned about their community's spend when they have run no
     * admin command yet.
     */
    default String chat() {
        return null;
    }

    /** Shows that the job waits for a free provider slot, or that generation has started. */
    default void progress(Progress progress) {
    }

    /**
     * A provider call begins: the provider and the attempt on its route (1, 2, …). For an operator's view of the job
     * (the terminal's live line); a chat adapter need not care.
     */
    default void calling(String provider, int attempt) {
    }

    /**
     * That call failed, with the provider's classification (its message names no key). For an operator, who may be
     * told precisely what to fix ("aimlapi refused the api-key"); a member reads the refusal's own sentence.
     */
    default void callFailed(String provider, int attempt, ProviderException failure) {
    }

    /**
     * Uploads the images; returns how many reached the chat (the rest are refunded). Throwing means none did, so
     * once one image is posted an implementation returns the count, even when it is interrupted (it keeps the
     * thread's interrupt flag set).
     */
    int deliver(Generated generated) throws Exception;

    /** Tells the member why nothing (more) will come, in the refusal's words. */
    void refused(Refusal refusal);

    /**
     * The job ends here without a word to the member, for another process has repaired it (this one was cut off from
     * the database long enough for its lease to be claimed) and told the member itself: stop what shows progress.
     * Called instead of {@link #refused}, after {@link #deliver} or without it.
     */
    default void abandoned() {
    }
}
