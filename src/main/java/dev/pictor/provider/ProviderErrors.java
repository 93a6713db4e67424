package dev.pictor.provider;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderException.Kind;
import dev.pictor.ops.Secrets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The one place where HTTP outcomes become {@link ProviderException} kinds, for provider calls and image downloads.
 *
 * <p>Provider calls:
 * <ul>
 *   <li>timeout, connection refused/reset, 408, 425, 429 (with its Retry-After), any 5xx → {@link Kind#TRANSIENT}</li>
 *   <li>401, 402 (out of credit), 403 → {@link Kind#UNAVAILABLE}: this provider cannot serve now, the next route may</li>
 *   <li>400, 404, 422 and other 4xx → {@link Kind#REJECTED}, except a body that says the content was filtered or
 *       blocked by a safety/moderation system → {@link Kind#CONTENT_BLOCKED}, and a body that says the model is
 *       unknown, unsupported or retired → {@link Kind#UNAVAILABLE} (model ids are remapped and retired by providers;
 *       another route may still serve the model)</li>
 *   <li>a 200 that is not JSON, or JSON with neither {@code data} nor {@code images} → {@link Kind#UNAVAILABLE}
 *       (or {@link Kind#CONTENT_BLOCKED} when its text says so)</li>
 * </ul>
 * Image downloads: 408/429/5xx/timeout/reset → TRANSIENT; any other non-2xx, a forbidden address, an oversized
 * body → REJECTED.
 *
 * <p>Messages carry the provider, the status and a short snippet of the body with whitespace collapsed, control
 * characters removed, and the API key and anything that looks like a bearer token or secret key masked.
 */
public final class ProviderErrors {
    /** How much of an error body is read to classify it and quote it. */
    public static final int ERROR_BODY_LIMIT = 16 * 1024;
    static final int SNIPPET_CHARS = 200;

    private static final Pattern CONTENT_BLOCKED = Pattern.compile(
            "content[ _-]?(policy|filter|moderation|management)|safety[ _-]?(filter|system|polic|check|reason|violation|block)"
                    + "|blocked (by|due to|for) (the )?(safety|content|moderation|responsible)|responsible ?ai"
                    + "|moderation[ _-]?(blocked|flag|fail|reject)|flagged|nsfw|sensitive (words|content)"
                    + "|(prompt|request|image)s? (was |were |has been |have been )?(blocked|filtered|refused|rejected) (by|due|as|for)"
                    + "|prohibited|violat(es|ed|ion)[^.]{0,40}(polic|guideline|term)|raiMediaFiltered|filtered_reason",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MODEL_GONE = Pattern.compile(
            "model\\b[^\\n]{0,80}?\\b(not found|does not exist|doesn't exist|not exist|unknown|unsupported|not supported"
                    + "|not available|unavailable|deprecated|retired|discontinued|no longer|not allowed|access)"
                    + "|(unknown|unsupported|invalid|no such|deprecated|retired) model",
            Pattern.CASE_INSENSITIVE);

    private ProviderErrors() {
    }

    /** A non-2xx answer of a provider call. */
    public static ProviderException fromStatus(String provider, int status, String retryAfterHeader,
                                              String retryAfterMsHeader, String body, String secret, Instant now) {
        String what = provider + ": HTTP " + status + snippetSuffix(body, secret);
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            Duration wait = status == 429 || status == 503 ? retryAfter(retryAfterHeader, retryAfterMsHeader, now) : null;
            return new ProviderException(Kind.TRANSIENT, status, what, wait, null);
        }
        if (status == 401 || status == 402 || status == 403) {
            return new ProviderException(Kind.UNAVAILABLE, status, what, null, null);
        }
        if (status >= 400) {
            if (saysContentBlocked(body)) return new ProviderException(Kind.CONTENT_BLOCKED, status, what, null, null);
            if (saysModelGone(body)) return new ProviderException(Kind.UNAVAILABLE, status, what, null, null);
            return new ProviderException(Kind.REJECTED, status, what, null, null);
        }
        // 1xx/3xx left over after OkHttp's own handling: not an answer we can use.
        return new ProviderException(Kind.UNAVAILABLE, status, what, null, null);
    }

    /** A 2xx answer that carries no usable images: not JSON, no {@code data}/{@code images}, or only bad entries. */
    public static ProviderException unusableAnswer(String provider, int status, String problem, String body, String secret) {
        String what = provider + ": HTTP " + status + " but " + problem + snippetSuffix(body, secret);
        Kind kind = saysContentBlocked(body) ? Kind.CONTENT_BLOCKED : Kind.UNAVAILABLE;
        return new ProviderException(kind, status, what, null, null);
    }

    /** A call that got no (complete) answer: timeout, refused or reset connection, DNS failure. */
    public static ProviderException fromIOException(String provider, IOException e, String secret) {
        String why;
        if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException
                || e.getCause() instanceof HttpTimeoutException
                || (e instanceof InterruptedIOException && !Thread.currentThread().isInterrupted())) {
            why = "timed out";
        } else if (e instanceof InterruptedIOException) {
            why = "interrupted";
        } else if (e instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException) {
            why = "host not found";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = "connection failed";
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : sanitize(e.getMessage(), secret);
        return new ProviderException(Kind.TRANSIENT, 0, provider + ": " + why + " (" + detail + ")", null, e);
    }

    /** A non-2xx answer while downloading an image. */
    public static ProviderException fromFetchStatus(int status, String url, String body) {
        String what = "image download: HTTP " + status + " from " + shortUrl(url) + snippetSuffix(body, null);
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        return new ProviderException(retryable ? Kind.TRANSIENT : Kind.REJECTED, status, what, null, null);
    }

    /** A download refused by us: forbidden address, too large, not http(s), too many redirects. */
    public static ProviderException fetchRefused(String url, String why) {
        return new ProviderException(Kind.REJECTED, 0, "image download refused: " + why + " (" + shortUrl(url) + ")", null, null);
    }

    /** A download that got no (complete) answer. */
    public static ProviderException fromFetchIOException(String url, IOException e) {
        var mapped = fromIOException("image download from " + shortUrl(url), e, null);
        return new ProviderException(Kind.TRANSIENT, 0, mapped.getMessage(), null, e);
    }

    /**
     * Retry-After as seconds ({@code 120}, {@code 1.5}) or an HTTP-date; OpenAI-style {@code retry-after-ms} wins
     * when present. A date in the past gives zero; an unreadable value gives null.
     */
    public static Duration retryAfter(String header, String msHeader, Instant now) {
        if (msHeader != null) {
            try {
                double ms = Double.parseDouble(msHeader.trim());
                if (ms >= 0 && Double.isFinite(ms)) return Duration.ofMillis((long) Math.ceil(ms));
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        if (header == null || header.isBlank()) return null;
        String v = header.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds < 0 || !Double.isFinite(seconds)) return null;
            return Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** Whether an error text says a safety or moderation system blocked the prompt or its images. */
    public static boolean saysContentBlocked(String body) {
        return body != null && CONTENT_BLOCKED.matcher(body).find();
    }

    static boolean saysModelGone(String body) {
        return body != null && MODEL_GONE.matcher(body).find();
    }

    /** A short, single-line, secret-free quote of a body (empty when there is none). */
    public static String snippet(String body, String secret) {
        if (body == null) return "";
        String s = sanitize(body, secret);
        return s.length() <= SNIPPET_CHARS ? s : s.substring(0, SNIPPET_CHARS) + "…";
    }

    private static String snippetSuffix(String body, String secret) {
        String s = snippet(body, secret);
        return s.isEmpty() ? "" : ": " + s;
    }

    private static String sanitize(String text, String secret) {
        String s = Secrets.redactQuote(text, secret);
        StringBuilder out = new StringBuilder(Math.min(s.length(), 4 * SNIPPET_CHARS));
        boolean space = false;
        for (int i = 0; i < s.length() && out.length() < 4 * SNIPPET_CHARS; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = out.length() > 0;
            } else {
                if (space) out.append(' ');
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Scheme, host and the start of the path: enough to tell which download failed, without signed query strings. */
    static String shortUrl(String url) {
        if (url == null) return "no URL";
        var parsed = okhttp3.HttpUrl.parse(url);
        if (parsed == null) return url.length() > 40 ? url.substring(0, 40) + "…" : url;
        String path = parsed.encodedPath();
        if (path.length() > 60) path = path.substring(0, 60) + "…";
        return parsed.scheme() + "://" + parsed.host() + (parsed.port() == okhttp3.HttpUrl.defaultPort(parsed.scheme()) ? "" : ":" + parsed.port()) + path;
    }
}
