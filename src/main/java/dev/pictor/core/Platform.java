package dev.pictor.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a member talks to pictor: a Discord server or DM, a Telegram chat, or the terminal ({@code pictor imagine}).
 * Its {@link #id()} is the word stored in the ledger and the quota keys ({@code discord:1234}).
 */
public enum Platform {
    DISCORD, TELEGRAM, CLI;

    /** Made once: every job keeps it (its MDC, its quota keys) and it was a new string each time it was asked for. */
    private final String id = name().toLowerCase(Locale.ROOT);

    /** The stored, lower-case word: {@code discord}, {@code telegram}, {@code cli}. */
    public String id() {
        return id;
    }

    /** The platform whose {@link #id()} is {@code id} (any case, surrounding blanks ignored), if any. */
    public static Optional<Platform> find(String id) {
        if (id == null) return Optional.empty();
        String word = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id().equals(word)).findFirst();
    }

    /** As {@link #find}, for a word that must be a platform (a stored row): anything else is a bug or a corrupt row. */
    public static Platform of(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown platform \"" + id + "\""));
    }

    @Override
    public String toString() {
        return id();
    }
}
