package dev.pictor.core.port;

import java.util.Objects;

/**
 * One message a job posted, as the platform confirmed it: the chat (Discord channel, Telegram chat) and the
 * message id the platform gave it, and how many of the job's images it holds (0 for a message that only carries
 * the buttons). The ledger keeps these so that the buttons act only on what the job really posted, and so that a
 * crash mid-delivery refunds only what did not reach the chat.
 */
public record JobPost(String chat, String message, int images) {
    public JobPost {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(message, "message");
        if (images < 0) throw new IllegalArgumentException("images < 0");
    }

    /** Whether this is the message {@code message} in chat {@code chat}. */
    public boolean is(String chat, String message) {
        return this.chat.equals(chat) && this.message.equals(message);
    }
}
