package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a Discord bot registers its slash commands: for every server ({@code global}) or only in {@code guilds}. */
public enum CommandScope {
    GLOBAL, GUILD;

    @JsonCreator
    public static CommandScope parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (CommandScope s : values()) if (s.id().equals(t)) return s;
        throw new IllegalArgumentException("unknown command scope \"" + text + "\" (known: global, guild)");
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
