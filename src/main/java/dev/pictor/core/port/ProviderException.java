package dev.pictor.core.port;

import java.time.Duration;

/**
 * A failed provider or download call, classified once by the provider so the core can decide: retry, try the next
 * route, or stop and tell the member. Messages never contain keys or tokens.
 */
public class ProviderException extends Exception {
    public enum Kind {
        /** Timeout, connection reset, 429, 5xx: worth retrying, then the next route. */
        TRANSIENT,
        /** 401/403 or an unusable answer (not JSON, no image field): this provider cannot serve now; next route. */
        UNAVAILABLE,
        /** 400 and other request errors: the request itself is wrong; no other route will do better. */
        REJECTED,
        /** The provider's safety filter refused the prompt. */
        CONTENT_BLOCKED
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final int status;

    public ProviderException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, String message) {
        this(kind, 0, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when the call got no answer. */
    public int status() {
        return status;
    }

    /** What the provider asked us to wait (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** A short class name for the ledger and metrics: {@code transient-503}, {@code rejected-400}, … */
    public String errorClass() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + (status > 0 ? "-" + status : "");
    }
}
