package dev.pictor.core.chat;

/**
 * The English sentences that both platforms said in their own copies, moved here unchanged so that each is written
 * once (a later catalog replaces this class by message keys). Plain text: no platform's markup.
 */
public final class ChatText {
    private ChatText() {
    }

    /** The core had no room for the job ({@link Submitted.Busy}). */
    public static String busy() {
        return "pictor is handling a lot of requests right now. Nothing was charged; please try again in a minute.";
    }

    /** A job ended without an outcome (a bug): nothing was charged. */
    public static String internalError() {
        return "Something went wrong on our side. Nothing was charged; please try again.";
    }

    /** The start of a restart notice, before where and when it was asked and {@link RestartNotice#outcome()}. */
    public static String restarted(String prompt) {
        return "pictor restarted while it was making your images for \"" + prompt + "\"";
    }
}
