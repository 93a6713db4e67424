package dev.pictor.core;

import dev.pictor.core.port.JobView;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

/**
 * What a member is told about a job that a stopped process left unfinished and the ledger repaired: the truth about
 * what reached the chat and what was given back, as the ledger recorded it (the adapters add where and when it was
 * asked, in their own markup).
 */
public final class RepairNotice {
    private RepairNotice() {
    }

    /** Whether the member needs telling: not when every image asked for had already been posted. */
    public static boolean needed(JobView job) {
        return job.delivered() < job.request().count();
    }

    /** The sentence about the charge: nothing charged, or how many were posted and how many given back. */
    public static Text outcome(JobView job) {
        int asked = job.request().count();
        int delivered = Math.min(job.delivered(), asked);
        if (delivered == 0) return Text.of(Msg.RESTART_NOTHING_CHARGED, "charge", Text.of(Msg.CHARGE_NONE));
        return Text.of(Msg.RESTART_PARTLY, "delivered", delivered, "asked", asked, "missing", asked - delivered);
    }
}
