package dev.pictor.core.port;

/**
 * Reads the figures admins ask for ({@link JobStats}) off the job ledger, for the chat's stats commands and the
 * terminal's {@code pictor stats}. Whether the asker may see the scope is the adapter's check.
 */
@FunctionalInterface
public interface StatsPort {
    /** The figures of the jobs in {@code scope} created in the last {@code days} days, today included. */
    JobStats read(JobStats.Scope scope, int days);
}
