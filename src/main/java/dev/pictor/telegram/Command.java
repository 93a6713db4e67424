package dev.pictor.telegram;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A bot command at the start of a message: {@code /imagine a fox}, {@code /imagine@pictorbot a fox}.
 *
 * @param name    the command, lower case, without the slash
 * @param mention the bot named after {@code @}, or null
 * @param args    the rest of the text, stripped
 */
record Command(String name, String mention, String args) {
    private static final Pattern COMMAND = Pattern.compile("^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?=\\s|$)");

    /** The command the text starts with, or null when it starts with none. */
    static Command parse(String text) {
        if (text == null) return null;
        var m = COMMAND.matcher(text);
        if (!m.find()) return null;
        return new Command(m.group(1).toLowerCase(Locale.ROOT), m.group(2), text.substring(m.end()).strip());
    }

    /** Whether this command is for the bot called {@code username}: it names no bot, or names this one. */
    boolean isFor(String username) {
        return mention == null || mention.equalsIgnoreCase(username);
    }
}
