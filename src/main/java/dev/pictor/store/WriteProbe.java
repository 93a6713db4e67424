package dev.pictor.store;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Proves that a database takes a write right now, for {@code /healthz}, by updating the one row of the
 * {@code health} table, and says why not in words an operator can act on.
 * <ul>
 *   <li>PostgreSQL: on a connection of the pool, with lock and statement timeouts of the probe's timeout.</li>
 *   <li>An SQLite file: in a {@code BEGIN IMMEDIATE} transaction on a connection of its own that waits at most the
 *   timeout for another writer (so it never waits behind the 10 s busy timeout of the shared connection). That
 *   connection opens the file at the configured path, never creating one, so a read-only or immutable file, a
 *   missing folder, a full disk or a lock held too long all fail it.</li>
 *   <li>An in-memory SQLite database has no other connection: the probe waits for the shared one, at most the
 *   timeout.</li>
 * </ul>
 */
final class WriteProbe {
    private static final String HEALTH_UPSERT = "INSERT INTO health (id, probed_at, probed_by) VALUES (1, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, probed_by = excluded.probed_by";
    private static final String PROBED_BY = ManagementFactory.getRuntimeMXBean().getName();

    private final Database db;

    WriteProbe(Database db) {
        this.db = db;
    }

    /** @throws StoreException saying why the database does not take writes */
    void run(Duration timeout) {
        if (db.postgresPool() != null) {
            onPostgres(timeout);
        } else if (db.file() == null) {
            onSharedConnection(timeout);
        } else {
            onOwnSqliteConnection(timeout);
        }
    }

    private void onOwnSqliteConnection(Duration busyTimeout) {
        var config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout((int) Math.max(1, busyTimeout.toMillis()));
        try (Connection c = config.createConnection(db.url()); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try (PreparedStatement ps = c.prepareStatement(HEALTH_UPSERT)) {
                bind(ps);
                ps.executeUpdate();
            }
            s.execute("COMMIT"); // closing the connection rolls back whatever did not commit
        } catch (SQLException e) {
            throw new StoreException(describeSqlite(e, busyTimeout, db.file()), e);
        }
    }

    /** On a connection of the pool, waiting at most {@code timeout} for it and for the row's lock. */
    private void onPostgres(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        Connection c;
        try {
            c = db.postgresPool().getConnection();
        } catch (SQLException e) {
            throw new StoreException("the database does not take writes: " + Database.rootMessage(e), e);
        }
        try (c) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = " + ms);
                s.execute("SET LOCAL statement_timeout = " + ms);
            }
            try (PreparedStatement ps = c.prepareStatement(HEALTH_UPSERT)) {
                bind(ps);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new StoreException(describePostgres(e, timeout), e);
        }
    }

    private void onSharedConnection(Duration wait) {
        var lock = db.sharedLock();
        boolean locked;
        try {
            locked = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database");
        }
        if (!locked) throw new StoreException("the database has been busy with another write for over " + wait.toMillis() + " ms");
        try {
            db.write(d -> {
                var ps = d.prepared(HEALTH_UPSERT);
                bind(ps);
                return ps.executeUpdate();
            });
        } finally {
            lock.unlock();
        }
    }

    private static void bind(PreparedStatement ps) throws SQLException {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, PROBED_BY);
    }

    private static String describePostgres(SQLException e, Duration timeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("55P03") || state.equals("57014")) {
            return "another connection has held the health row's lock for over " + timeout.toMillis() + " ms";
        }
        if (state.equals("25006")) return "the database is read-only (a standby, or default_transaction_read_only)";
        if (state.startsWith("08")) return "the database cannot be reached: " + Database.rootMessage(e);
        return "the database does not take writes: " + Database.rootMessage(e);
    }

    private static String describeSqlite(SQLException e, Duration busyTimeout, Path file) {
        String code = e instanceof SQLiteException se ? se.getResultCode().name() : "";
        if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
            return "another connection has held the database's write lock for over " + busyTimeout.toMillis() + " ms";
        }
        if (code.startsWith("SQLITE_READONLY")) {
            return "the database " + file + " is read-only (file or folder permissions, an immutable file, a read-only mount)";
        }
        if (code.startsWith("SQLITE_FULL")) return "the disk holding the database " + file + " is full";
        if (code.startsWith("SQLITE_CANTOPEN")) return "the database file " + file + " cannot be opened";
        if (code.startsWith("SQLITE_IOERR")) return "the database " + file + " cannot be written (I/O error: " + e.getMessage() + ")";
        return "the database does not take writes: " + e.getMessage();
    }
}
