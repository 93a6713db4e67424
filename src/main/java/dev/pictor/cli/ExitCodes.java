package dev.pictor.cli;

/** How {@code pictor} ends, for scripts. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The request was refused or failed; the member-facing sentence is on stderr. */
    public static final int REFUSED = 1;
    /** The command line itself is wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** The configuration has mistakes; each is on stderr with its file and key. */
    public static final int BAD_CONFIG = 3;
    /** Something the command needs is not part of this build or could not start (no bot to run, the HTTP port taken). */
    public static final int UNAVAILABLE = 4;
    /** The database at {@code storage.url} cannot be opened or used (a missing or read-only folder, a locked file…). */
    public static final int STORAGE = 5;

    private ExitCodes() {
    }
}
