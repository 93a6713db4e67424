package dev.pictor.discord;

import java.util.Optional;

/**
 * The custom ids of the buttons under a result: {@code pictor:<action>:<job id>}. They carry only the job id, so
 * that a button keeps working after a restart: everything else is read back from the job ledger.
 */
final class ButtonIds {
    static final String PREFIX = "pictor:";
    /** Discord's limit for a custom id. */
    static final int MAX_LENGTH = 100;

    enum Action {
        REROLL("reroll"), DETAILS("details"), DELETE("delete");

        final String word;

        Action(String word) {
            this.word = word;
        }
    }

    record Parsed(Action action, String jobId) {
    }

    private ButtonIds() {
    }

    static String of(Action action, String jobId) {
        String id = PREFIX + action.word + ":" + jobId;
        if (id.length() > MAX_LENGTH) throw new IllegalArgumentException("job id too long for a button: " + jobId.length());
        return id;
    }

    static Optional<Parsed> parse(String customId) {
        if (customId == null || !customId.startsWith(PREFIX)) return Optional.empty();
        String rest = customId.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) return Optional.empty();
        String word = rest.substring(0, colon);
        String jobId = rest.substring(colon + 1);
        for (Action a : Action.values()) {
            if (a.word.equals(word)) return Optional.of(new Parsed(a, jobId));
        }
        return Optional.empty();
    }
}
