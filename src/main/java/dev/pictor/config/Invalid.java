package dev.pictor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by a configuration record that checks itself: each problem names its key relative to the record (e.g.
 * {@code base-url} or {@code routes[1].provider}); the loader puts the file and the record's own path in front.
 */
public final class Invalid extends IllegalArgumentException {
    /** One problem: a key relative to the record that found it (empty for the record itself) and the message. */
    public record Problem(String key, String message) {
        public Problem {
            key = key == null ? "" : key;
            Objects.requireNonNull(message, "message");
        }
    }

    private final List<Problem> problems;

    public Invalid(List<Problem> problems) {
        super(String.join("; ", problems.stream().map(p -> p.key().isEmpty() ? p.message() : p.key() + ": " + p.message()).toList()));
        this.problems = List.copyOf(problems);
    }

    public static Invalid of(String key, String message) {
        return new Invalid(List.of(new Problem(key, message)));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Collects a record's problems so that all of them are reported at once, then throws if there were any. */
    public static final class Collector {
        private final List<Problem> problems = new ArrayList<>();

        /** Records "is required" when {@code value} is null or a blank string. */
        public Collector require(String key, Object value) {
            if (value == null || value instanceof String s && s.isBlank()) problems.add(new Problem(key, "is required"));
            return this;
        }

        /** Records {@code message} unless {@code ok}. */
        public Collector check(boolean ok, String key, String message) {
            if (!ok) problems.add(new Problem(key, message));
            return this;
        }

        public Collector add(String key, String message) {
            problems.add(new Problem(key, message));
            return this;
        }

        public void throwIfAny() {
            if (!problems.isEmpty()) throw new Invalid(problems);
        }
    }

    public static Collector collector() {
        return new Collector();
    }
}
