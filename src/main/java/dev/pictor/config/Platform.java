package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code platform} of a bot profile. */
public enum Platform {
    DISCORD, TELEGRAM;

    @JsonCreator
    public static Platform parse(String text) {
        for (Platform p : values()) if (p.id().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("unknown platform \"" + text + "\" (known: "
                + Arrays.stream(values()).map(Platform::id).collect(Collectors.joining(", ")) + ")");
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
