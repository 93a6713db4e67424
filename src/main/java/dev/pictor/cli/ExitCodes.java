package dev.pictor.cli;

/**
 * How {@code pictor} ends, for scripts: one table for every command. {@code pictor --help} prints it (from the
 * {@code LIST_*} lines below) and the README's table says the same (a test compares them).
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The request was refused or failed after it was accepted (quota spent, provider down…); the reason is on stderr. */
    public static final int REFUSED = 1;
    /**
     * The command line is wrong: an unknown option, a missing or malformed argument, a prompt flag or value the
     * model does not take. Nothing was done.
     */
    public static final int USAGE = 2;
    /** The configuration has mistakes; each is on stderr with its file and key. */
    public static final int BAD_CONFIG = 3;
    /** Nothing to start, or it could not start: no bot profile with a token, the HTTP port taken, files already there. */
    public static final int CANNOT_START = 4;
    /** The database at {@code storage.url} cannot be opened or used (a missing or read-only folder, a locked file…). */
    public static final int STORAGE = 5;

    static final String LIST_OK = "0:done";
    static final String LIST_REFUSED = "1:refused or failed after it was accepted (quota spent, provider down…; the reason is on stderr)";
    static final String LIST_USAGE = "2:wrong command line (unknown option, bad argument, a prompt flag the model does not take)";
    static final String LIST_BAD_CONFIG = "3:configuration mistakes (each named on stderr with its file and key)";
    static final String LIST_CANNOT_START = "4:nothing to start or it could not start (no bot with a token, the HTTP port in use, init's files already there)";
    static final String LIST_STORAGE = "5:the database (storage.url) cannot be opened or used";

    private ExitCodes() {
    }
}
