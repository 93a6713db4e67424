package dev.pictor.core.chat;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.JobView;

import java.util.List;

/** What a press of a result's button comes to, as data the adapter renders. */
public sealed interface ButtonResult {
    /**
     * No job to act on: the ledger no longer has it, or the pressed message is not one of its posts (a forged or
     * copied button).
     */
    record Gone() implements ButtonResult {
    }

    /** Re-roll: the new request, validated again and with its new seed, ready to submit for whoever pressed. */
    record Reroll(ImagineRequest request) implements ButtonResult {
    }

    /** Re-roll refused by today's catalog or rules (a model removed, a term banned since). */
    record Refused(Refusal refusal) implements ButtonResult {
    }

    /** Details: what the ledger recorded about the job. */
    record Details(JobDetails details) implements ButtonResult {
    }

    /** Delete allowed: the messages the job posted in the pressed chat (all of them are to go). */
    record Delete(JobView job, List<String> messages) implements ButtonResult {
    }

    /** Delete refused: the presser neither asked for the job nor moderates. */
    record NotYours() implements ButtonResult {
    }
}
