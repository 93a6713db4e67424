package dev.pictor.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a request was not (fully) served, with the sentence a member reads. Adapters may add formatting but the
 * sentence is complete on its own.
 *
 * @param reason     what kind of refusal, for metrics, logs and adapters that pick an emoji or a button
 * @param message    one or two sentences a member understands, naming what they may do instead
 * @param retryAfter when trying again makes sense (quota refill, provider rate limit), or null
 */
public record Refusal(Reason reason, String message, Duration retryAfter) {
    public enum Reason {
        EMPTY_PROMPT, PROMPT_TOO_LONG, BAD_OPTION, UNKNOWN_MODEL, UNSUPPORTED_ASPECT, UNSUPPORTED_COUNT,
        UNSUPPORTED_SEED, UNSUPPORTED_ENHANCE, BANNED_TERM, QUOTA_SPENT, BLOCKED, SAFETY_BLOCKED, REQUEST_REJECTED,
        PROVIDER_DOWN, DELIVERY_FAILED, INTERRUPTED,
        /** pictor cannot record jobs (its database file is gone): it takes no requests and charges nothing. */
        STORAGE_DOWN
    }

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public static Refusal of(Reason reason, String message) {
        return new Refusal(reason, message, null);
    }
}
