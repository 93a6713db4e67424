package dev.pictor.ops;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * The secrets this process knows (bot tokens, provider keys) and the shapes of secrets it may meet in library
 * output (a Telegram token in a URL, a Bearer header). Everything logged passes through {@link #redact}.
 */
public final class Secrets {
    private static final Set<String> KNOWN = new CopyOnWriteArraySet<>();
    private static final Pattern SHAPES = Pattern.compile(
            "(?i)(bot)\\d{5,}:[A-Za-z0-9_-]{20,}"          // Telegram token, as in /bot<token>/sendPhoto
                    + "|(Bearer )[A-Za-z0-9._~+/=-]{8,}"    // an Authorization header value
                    + "|(Bot )[A-Za-z0-9._-]{20,}");        // a Discord Authorization header value

    private Secrets() {
    }

    /** Remembers a secret value so that it is masked wherever it would be logged. Blank values are ignored. */
    public static void register(String secret) {
        if (secret == null || secret.strip().length() < 6) return;
        String plain = secret.strip();
        KNOWN.add(plain);
        // As a JSON encoder writes it, so that JSON log lines are masked too.
        KNOWN.add(plain.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
    }

    /** The text with every known secret and every secret-shaped token replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String s : KNOWN) {
            if (out.contains(s)) out = out.replace(s, "***");
        }
        var m = SHAPES.matcher(out);
        if (!m.find()) return out;
        return m.replaceAll(r -> {
            String prefix = r.group(1) != null ? r.group(1) : r.group(2) != null ? r.group(2) : r.group(3);
            return java.util.regex.Matcher.quoteReplacement(prefix + "***");
        });
    }
}
