package dev.pictor.telegram;

/** A Bot API call that failed for good (after the retries that were safe). The message never holds the token. */
final class SendException extends Exception {
    private final int status;

    SendException(String method, int status, String description) {
        super(method + " failed" + (status > 0 ? " (" + status + ")" : "") + (description == null ? "" : ": " + description));
        this.status = status;
    }

    /** Telegram's error code (400, 403, 429, …) or 0 when the call got no answer. */
    int status() {
        return status;
    }
}
