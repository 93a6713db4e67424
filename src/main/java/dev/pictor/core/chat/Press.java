package dev.pictor.core.chat;

import dev.pictor.core.Platform;

import java.util.Objects;

/**
 * A press of a result's button as the platform reported it. {@code jobId} comes from the button's own data (the
 * client's word, trusted only for "which job"); {@code chat} and {@code message} come from the platform's event (the
 * message the button sits on), and decide whether the job may be acted on at all.
 *
 * @param platform  the presser's platform ({@code discord}, {@code telegram})
 * @param presser   the presser's user id there
 * @param moderator whether the platform says the presser moderates here (Discord: Manage Messages; Telegram: a bot admin)
 */
public record Press(String jobId, String chat, String message, Platform platform, String presser, boolean moderator) {
    public Press {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(presser, "presser");
    }
}
