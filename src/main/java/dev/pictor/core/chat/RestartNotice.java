package dev.pictor.core.chat;

import dev.pictor.core.Requester;
import dev.pictor.core.port.JobView;
import dev.pictor.core.text.Text;

/**
 * A member to be told that pictor restarted while it was making their images: the job (repaired by the ledger at
 * start), who asked, and the sentence about what reached the chat and what was not charged.
 */
public record RestartNotice(JobView job, Requester asker, Text outcome) {
    /** The chat where the member asked: the community (group, server) if any, else the member's private chat. */
    public String chat() {
        return asker.communityId() != null ? asker.communityId() : asker.userId();
    }
}
