package dev.pictor.core;

import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaDecision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a job that a stopped process left open ends when it is repaired at the next start: the images its recorded
 * posts hold count as delivered (it ends succeeded, or partial when some are missing; failed when nothing was
 * posted), and whatever it was charged, not yet given back and not delivered is owed back to the layers it was
 * charged on. The ledger closes the job and makes the refund in one transaction; this class only decides.
 */
public final class JobRepair {
    private JobRepair() {
    }

    /**
     * A job as the ledger recorded it when its process stopped: the job with the posts it recorded, how many images
     * were asked for, the tokens charged and already refunded, and the quota layers charged ({@code asked} is the
     * recorded count, which may exceed the request's when the model has since been replaced by a smaller one).
     */
    public record Interrupted(JobView job, int asked, int charged, int refunded, List<String> layers, Double cost) {
        public Interrupted {
            layers = List.copyOf(layers);
        }

        /** A job whose answer's cost was not recorded. */
        public Interrupted(JobView job, int asked, int charged, int refunded, List<String> layers) {
            this(job, asked, charged, refunded, layers, null);
        }
    }

    /**
     * The decided end: the terminal status, the tokens owed back ({@code 0} when none), the grant to refund them on
     * (empty when nothing is owed or no layer was charged), the job as it stands once closed at {@code finishedAt},
     * and what its spend hold is settled with: empty to release it (no provider answered, as far as the ledger knows),
     * else the amount the answer cost — the recorded cost, or the expected cost when the answer's was not known (the
     * provider was paid at a price unknown), as a job that ends in its own process settles it.
     */
    public record Ending(JobStatus status, int owed, Optional<QuotaDecision.Granted> refund, JobView job,
                         Optional<Double> spend) {
        /** What the job's tokens_refunded is once the refund is made. */
        public int refundedAfter(Interrupted before) {
            return before.refunded() + owed;
        }
    }

    /** Decides how {@code before} ends when closed at {@code now}. */
    public static Ending end(Interrupted before, Instant now) {
        JobView job = before.job();
        int delivered = job.delivered();
        JobStatus status = delivered == 0 ? JobStatus.FAILED
                : delivered >= before.asked() ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        int owed = Math.max(0, before.charged() - before.refunded() - Math.min(delivered, before.charged()));
        Optional<QuotaDecision.Granted> refund = owed > 0 && !before.layers().isEmpty()
                ? Optional.of(new QuotaDecision.Granted(job.request().requester(), before.charged(), before.layers()))
                : Optional.empty();
        JobView closed = new JobView(job.id(), job.request(), status, job.provider(), job.providerModel(), delivered,
                job.seed(), job.revisedPrompt(), job.createdAt(), now, job.posts());
        return new Ending(status, owed, refund, closed, spend(before));
    }

    /** What the dead job's spend hold is settled with (empty: released); see {@link Ending#spend}. */
    static Optional<Double> spend(Interrupted before) {
        if (before.job().provider() == null) return Optional.empty(); // no answer recorded: nothing was paid
        if (before.cost() != null) return Optional.of(before.cost());
        return Optional.ofNullable(GenerationService.expectedCost(before.job().request()));
    }
}
