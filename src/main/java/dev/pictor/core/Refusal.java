package dev.pictor.core;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a request was not (fully) served, as data: the reason and the sentence a member reads, as a message key with
 * its arguments ({@link Text}), rendered in the member's language by the adapter ({@link #message(Locale)}). Adapters
 * may add formatting but the sentence is complete on its own.
 *
 * @param reason     what kind of refusal, for metrics, logs and adapters that pick an emoji or a button
 * @param text       one or two sentences a member understands, naming what they may do instead
 * @param retryAfter when trying again makes sense (quota refill, provider rate limit), or null
 */
public record Refusal(Reason reason, Text text, Duration retryAfter) {
    public enum Reason {
        EMPTY_PROMPT, PROMPT_TOO_LONG, BAD_OPTION, UNKNOWN_MODEL, UNSUPPORTED_ASPECT, UNSUPPORTED_COUNT,
        UNSUPPORTED_SEED, UNSUPPORTED_ENHANCE, BANNED_TERM, QUOTA_SPENT, BLOCKED, SAFETY_BLOCKED, REQUEST_REJECTED,
        PROVIDER_DOWN, DELIVERY_FAILED, INTERRUPTED,
        /** pictor cannot record jobs (its database file is gone): it takes no requests and charges nothing. */
        STORAGE_DOWN
    }

    /** The argument a job's failure sentence names its charge in: nothing was charged, or given back later. */
    static final String CHARGE = "charge";
    static final Text NOTHING_CHARGED = Text.of(Msg.CHARGE_NONE);

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(text, "text");
    }

    public static Refusal of(Reason reason, Text text) {
        return new Refusal(reason, text, null);
    }

    public static Refusal of(Reason reason, Msg msg, Object... namesAndValues) {
        return of(reason, Text.of(msg, namesAndValues));
    }

    /** The refusal for a member an admin has blocked. */
    public static Refusal blocked() {
        return of(Reason.BLOCKED, Msg.QUOTA_BLOCKED);
    }

    /** The refusal of every request while pictor cannot record jobs (its database was deleted or replaced). */
    public static Refusal cannotRecordJobs() {
        return of(Reason.STORAGE_DOWN, Msg.QUOTA_STORAGE_DOWN);
    }

    /**
     * The sentence in {@code locale} (a key that language lacks is read in English), followed by when to try again
     * when that is known ({@link #retryAfter}) and the sentence does not already say it: see {@link #fullText}.
     */
    public String message(Locale locale) {
        return Messages.render(locale, fullText());
    }

    /**
     * What the member reads: {@link #text}, and after it "Try again in 5 min." ({@code refusal.tryAgain}, the wait in
     * the catalog's {@code unit.*} words) when {@link #retryAfter} is set and {@code text} names no wait of its own (a
     * spent quota or cap already says when it comes back); {@code text} alone otherwise.
     */
    public Text fullText() {
        if (retryAfter == null || retryAfter.isNegative() || namesAWait(text)) return text;
        return Text.of(Msg.REFUSAL_TRY_AGAIN, "refusal", text, "wait", retryAfter);
    }

    /** Whether {@code t} (or a sentence inside it) has a wait among its arguments. */
    private static boolean namesAWait(Text t) {
        for (Object v : t.args().values()) {
            if (v instanceof Duration) return true;
            if (v instanceof Text nested && namesAWait(nested)) return true;
        }
        return false;
    }

    /**
     * The same refusal for a job whose charge could not be given back yet (the ledger's repair does it later): its
     * {@code charge} argument says so, or, for a sentence without one, a note says so after it.
     */
    Refusal givenBackLater() {
        Text later;
        if (text.args().containsKey(CHARGE)) {
            var args = new LinkedHashMap<>(text.args());
            args.put(CHARGE, Text.of(Msg.CHARGE_LATER));
            later = new Text(text.msg(), args);
        } else {
            later = Text.of(Msg.JOB_LATER_NOTE, "refusal", text);
        }
        return new Refusal(reason, later, retryAfter);
    }
}
