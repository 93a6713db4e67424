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
}
