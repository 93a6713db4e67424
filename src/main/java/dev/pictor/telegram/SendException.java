package dev.pictor.telegram;

/** A Bot API call that failed for good (after the retries that were safe). The message never holds the token. */
final class SendException extends Exception {
    private final int status;

    private final boolean notBotApi;

    SendException(String method, int status, String description) {
        this(method, status, description, false);
    }

    SendException(String method, int status, String description, boolean notBotApi) {
        super(method + " failed" + (status > 0 ? " (" + status + ")" : "") + (description == null ? "" : ": " + description));
        this.status = status;
        this.notBotApi = notBotApi;
    }

    /** The server answered, but not as the Bot API does (no {@code ok} field, not JSON): api-url names another server. */
    boolean notBotApi() {
        return notBotApi;
    }

    /** Telegram's error code (400, 403, 429, …) or 0 when the call got no answer. */
    int status() {
        return status;
    }
}
