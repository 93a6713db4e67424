package dev.pictor.ops;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where secrets are masked: the secrets this process knows (bot tokens, provider keys, registered at
 * start) and the shapes of secrets it may meet in library output or in a remote's answer. Everything logged passes
 * through {@link #redact(String)}; a Telegram failure quotes through {@link #redact(String, String)} with its own
 * token; a provider's error body is quoted through {@link #redactQuote}; {@code check} prints the storage URL
 * through {@link #redact(String)} (a JDBC password is a shape too).
 */
public final class Secrets {
    private static final Set<String> KNOWN = new CopyOnWriteArraySet<>();
    /** Each alternative keeps its group 1 (the part before the secret) and group 2 (after it, if any). */
    private static final Pattern SHAPES = Pattern.compile(
            "(?i)(bot)\\d{5,}:[A-Za-z0-9_-]{20,}()"              // Telegram token, as in /bot<token>/sendPhoto
                    + "|(Bearer\\s+)[A-Za-z0-9._~+/=-]{8,}()"     // an Authorization header value
                    + "|(Bot )[A-Za-z0-9._-]{20,}()"              // a Discord Authorization header value
                    + "|((?:password|pwd)=)[^&;\\s]+()"           // a JDBC URL's password parameter
                    + "|(//[^/@:\\s]*:)[^/@\\s]+(@)");            // user:password@host in a URL
    /** What else looks like a key in text a remote wrote: {@code sk-…}, {@code api_key-…}, a long opaque token. */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?i)\\b(?:sk|pk|rk|key|api[_-]?key)[-_][A-Za-z0-9_\\-]{8,}|\\b[A-Za-z0-9_\\-]{32,}\\b");

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
        return redact(text, null);
    }

    /** As {@link #redact(String)}, and {@code secret} (one this caller holds, registered or not) masked too. */
    public static String redact(String text, String secret) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        if (secret != null && !secret.isBlank()) out = out.replace(secret.strip(), "***");
        for (String s : KNOWN) {
            if (out.contains(s)) out = out.replace(s, "***");
        }
        if (!mayHaveShape(out)) return out;
        var m = SHAPES.matcher(out);
        if (!m.find()) return out;
        return m.replaceAll(r -> {
            for (int g = 1; g < r.groupCount(); g += 2) {
                if (r.group(g) != null) return Matcher.quoteReplacement(r.group(g) + "***" + r.group(g + 1));
            }
            return "***";
        });
    }

    /**
     * Whether {@code text} has what every alternative of {@link #SHAPES} needs, in any case: {@code bot},
     * {@code bearer}, {@code password=} or {@code pwd=}, or {@code //} with an {@code @}. Most log lines have none, and
     * these searches cost a fraction of the case-insensitive pattern's, which is tried at every position of the line.
     */
    static boolean mayHaveShape(String text) {
        if (text.indexOf('@') >= 0 && text.contains("//")) return true;
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("bot") || lower.contains("bearer") || lower.contains("password=") || lower.contains("pwd=");
    }

    /**
     * Text that a remote wrote (a provider's error body), about to be quoted in a log line or a refusal: as
     * {@link #redact(String, String)}, and whatever merely looks like a key masked as well. Too eager for log lines
     * in general (a job id is a long token), right for a body nobody here wrote.
     */
    public static String redactQuote(String text, String secret) {
        String out = redact(text, secret);
        return out == null ? null : KEY_LIKE.matcher(out).replaceAll("***");
    }
}
