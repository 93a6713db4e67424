package dev.pictor.core.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The words admins write for quota changes, the same on Discord, Telegram and the terminal ({@code pictor quota}):
 * <ul>
 *   <li>a plan: its name, or {@code default} to go back to the member's role plan or the default plan;</li>
 *   <li>a community's pool: limits such as {@code 300/1d, 40/1h} (separated by commas, semicolons or spaces),
 *       {@code off} or {@code none} for no shared pool, or {@code default} for the bot profile's pool;</li>
 *   <li>a community's language: a tag such as {@code de}, {@code pt-BR} or {@code es-419}, or {@code default} for
 *       the bot profile's language.</li>
 * </ul>
 * Whether a limit reads ({@code 300/1d}) is the quota's check, which answers with what is wrong.
 */
public final class AdminWords {
    /** The word that takes a member's plan, or a community's pool, back to the default. */
    public static final String DEFAULT = "default";

    private AdminWords() {
    }

    /** A plan as written: null for {@code default} (the role plan or default plan), else the plan's name. */
    public static String plan(String word) {
        String w = word == null ? "" : word.strip();
        return w.isEmpty() || w.equalsIgnoreCase(DEFAULT) ? null : w;
    }

    /** A community's language as written: null for {@code default} or nothing (the bot's), else the tag as written. */
    public static String language(String word) {
        String w = word == null ? "" : word.strip();
        return w.isEmpty() || w.equalsIgnoreCase(DEFAULT) ? null : w;
    }

    /** A pool as written; empty when nothing was written (the admin is shown how to write one). */
    public static Optional<PoolChange> pool(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return Optional.empty();
        switch (t.toLowerCase(Locale.ROOT)) {
            case DEFAULT -> {
                return Optional.of(new PoolChange.BackToDefault());
            }
            case "off", "none" -> {
                return Optional.of(new PoolChange.Off());
            }
            default -> {
                List<String> limits = Arrays.stream(t.split("[,;\\s]+")).filter(s -> !s.isBlank()).toList();
                return Optional.of(new PoolChange.Limits(limits));
            }
        }
    }

    /** A community's pool as an admin asked to change it. */
    public sealed interface PoolChange {
        /** The limits as {@link dev.pictor.core.port.AdminPort#setPool} takes them: null, none, or the limits. */
        List<String> limits();

        /** Back to the bot profile's pool. */
        record BackToDefault() implements PoolChange {
            @Override
            public List<String> limits() {
                return null;
            }
        }

        /** No shared pool for this community. */
        record Off() implements PoolChange {
            @Override
            public List<String> limits() {
                return List.of();
            }
        }

        /** These limits, e.g. {@code [300/1d, 40/1h]}. */
        record Limits(List<String> limits) implements PoolChange {
            public Limits {
                limits = List.copyOf(limits);
            }
        }
    }
}
