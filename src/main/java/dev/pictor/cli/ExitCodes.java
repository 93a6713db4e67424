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
    /** Something the command needs is not part of this build or could not start. */
    public static final int UNAVAILABLE = 4;

    private ExitCodes() {
    }
}
