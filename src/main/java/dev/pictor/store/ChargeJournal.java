package dev.pictor.store;

import java.util.List;

/**
 * Where a quota that shares the ledger's database records what it charged and refunded for a job, inside the
 * quota's own write transaction: the job and the buckets change together or not at all.
 */
public interface ChargeJournal {
    ChargeJournal NONE = new ChargeJournal() {
        @Override
        public void charged(String jobId, int tokens, List<String> layers) {
        }

        @Override
        public boolean refunding(String jobId, int tokens) {
            return true;
        }
    };

    /** Records that {@code tokens} were charged for the job on each of {@code layers}. */
    void charged(String jobId, int tokens, List<String> layers);

    /**
     * Records a refund for the job; false when it would give back more than was charged (a second refund), in which
     * case nothing may be given back.
     */
    boolean refunding(String jobId, int tokens);
}
