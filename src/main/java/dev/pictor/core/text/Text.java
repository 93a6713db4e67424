package dev.pictor.core.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A sentence as data: its message key and its arguments, rendered into a language only at the edge
 * ({@link Messages#render}). Arguments are numbers, strings, {@link java.time.Duration}s, {@link java.time.Instant}s,
 * enums (rendered as their lower-case name, for {@code select}) or other {@code Text}s (rendered first, in the same
 * language). Exactly the arguments {@link Msg} declares for the key must be given: a missing or extra one throws.
 */
public record Text(Msg msg, Map<String, Object> args) {
    public Text {
        Objects.requireNonNull(msg, "msg");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        if (!args.keySet().equals(msg.args())) {
            throw new IllegalArgumentException(msg + " takes " + msg.args() + ", given " + args.keySet());
        }
        args.forEach((name, value) -> Objects.requireNonNull(value, () -> msg + ": argument " + name + " is null"));
    }

    /** {@code Text.of(Msg.X, "images", 3, "wait", Duration.ofMinutes(5))}: names and values in turn. */
    public static Text of(Msg msg, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException(msg + ": names and values come in pairs");
        var args = new LinkedHashMap<String, Object>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Text(msg, args);
    }

    /** This text in English: for tests and operators' tools; a member reads {@link Messages#render} in their language. */
    public String english() {
        return Messages.render(Messages.ENGLISH, this);
    }

    @Override
    public String toString() {
        return msg.key() + args;
    }
}
