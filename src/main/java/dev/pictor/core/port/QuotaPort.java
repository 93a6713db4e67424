package dev.pictor.core.port;

import dev.pictor.core.Requester;

/** Members' and communities' allowances. One image asked for costs one token. */
public interface QuotaPort {
    /** Charges {@code images} tokens on every layer that applies to {@code who}, or on none. */
    QuotaDecision charge(Requester who, int images);

    /** Gives back {@code images} tokens of a grant on each of its layers. Called at most once per job. */
    void refund(QuotaDecision.Granted grant, int images);

    /** What {@code who} may still do, without charging anything. */
    QuotaView view(Requester who);

    /**
     * Charges for job {@code jobId} (already opened in the ledger). A quota that keeps the ledger in the same store
     * records the charge on the job in the same transaction, so that a crash never leaves a charge the ledger cannot
     * see; by default it is {@link #charge(Requester, int)}.
     */
    default QuotaDecision charge(String jobId, Requester who, int images) {
        return charge(who, images);
    }

    /**
     * Refunds for job {@code jobId}. A quota that keeps the ledger in the same store records the refund on the job in
     * the same transaction and refuses a second one; by default it is {@link #refund(QuotaDecision.Granted, int)}.
     */
    default void refund(String jobId, QuotaDecision.Granted grant, int images) {
        refund(grant, images);
    }
}
