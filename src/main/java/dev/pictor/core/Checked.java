package dev.pictor.core;

import dev.pictor.core.text.Msg;

import java.util.function.Function;

/** A value or the refusal a member reads instead: errors as values, never exceptions. */
public sealed interface Checked<T> {
    record Ok<T>(T value) implements Checked<T> {}

    record Refused<T>(Refusal refusal) implements Checked<T> {}

    static <T> Checked<T> ok(T value) {
        return new Ok<>(value);
    }

    /** A refusal of {@code reason} with the sentence {@code msg} and its arguments, names and values in turn. */
    static <T> Checked<T> refused(Refusal.Reason reason, Msg msg, Object... namesAndValues) {
        return new Refused<>(Refusal.of(reason, msg, namesAndValues));
    }

    default <U> Checked<U> then(Function<T, Checked<U>> next) {
        return switch (this) {
            case Ok<T> ok -> next.apply(ok.value());
            case Refused<T> r -> new Refused<>(r.refusal());
        };
    }

    default boolean isOk() {
        return this instanceof Ok;
    }
}
