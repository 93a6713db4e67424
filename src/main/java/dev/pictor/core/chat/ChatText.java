package dev.pictor.core.chat;

import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

/**
 * The sentences both platforms say about the shared conversation, as catalog texts (each adapter renders them in
 * the member's language with its own markup).
 */
public final class ChatText {
    private ChatText() {
    }

    /** The core had no room for the job ({@link Submitted.Busy}). */
    public static Text busy() {
        return Text.of(Msg.JOB_BUSY, "charge", Text.of(Msg.CHARGE_NONE));
    }

    /** A job ended without an outcome (a bug): nothing was charged. The same sentence as the core's own. */
    public static Text internalError() {
        return Text.of(Msg.JOB_INTERNAL, "charge", Text.of(Msg.CHARGE_NONE));
    }

    /**
     * A restart notice: pictor restarted while making the images for {@code prompt} (cut and escaped by the
     * adapter), then {@link RestartNotice#outcome()}; {@code asked}, when not null, is when it was asked, in the
     * platform's own markup (a Discord timestamp).
     */
    public static Text restarted(String prompt, String asked, RestartNotice notice) {
        return asked == null
                ? Text.of(Msg.RESTART_NOTICE, "prompt", prompt, "outcome", notice.outcome())
                : Text.of(Msg.RESTART_NOTICE_ASKED, "prompt", prompt, "asked", asked, "outcome", notice.outcome());
    }
}
