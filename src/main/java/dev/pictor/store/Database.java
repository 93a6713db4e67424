package dev.pictor.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * pictor's SQLite database: one connection per process, used by one thread at a time (SQLite has a single writer
 * anyway), in WAL mode with foreign keys on and a busy timeout, so that several processes on one host may share the
 * file. Writes run in {@code BEGIN IMMEDIATE} transactions: the write lock is taken first, so a transaction never
 * fails half-way because another process wrote in between. The schema is migrated when the database is opened.
 *
 * <p>The database keeps the identity ({@link BasicFileAttributes#fileKey()}) of the file it opened: if the file at the
 * configured path is deleted or replaced while pictor runs, the open connection would go on writing to a file nobody
 * will ever read again; {@link #lost()} notices it. {@link #probeWrite} proves, on a connection of its own with a
 * short busy timeout, that the file at the path still takes a write.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a statement waits for another process's write lock before failing. */
    public static final int BUSY_TIMEOUT_MS = 10_000;

    @FunctionalInterface
    public interface Work<T> {
        T run(Database db) throws SQLException;
    }

    private final String url;
    private final Connection connection;
    /** The database file, or null when there is none to watch (in memory, a {@code file:} URI). */
    private final Path file;
    /** The identity of the file opened, or null when the file system gives none (then only its absence is seen). */
    private final Object fileKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int depth;
    private boolean rollbackOnly;
    /** Why the file at {@link #file} is no longer this database; once set, it stays. */
    private volatile String lost;

    private Database(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
        this.file = fileOf(url);
        this.fileKey = file == null ? null : keyOf(file);
    }

    /** Opens (creating if needed) the database at a JDBC URL such as {@code jdbc:sqlite:data/pictor.db}, migrated. */
    public static Database open(String url) {
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            throw new StoreException("storage.url must be a jdbc:sqlite: URL, not " + url);
        }
        createParentDirectory(url);
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        try {
            Connection c = config.createConnection(url);
            var db = new Database(url, c);
            Migrator.migrate(db);
            return db;
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + url + ": " + e.getMessage(), e);
        }
    }

    /** The file a {@code jdbc:sqlite:} URL names, absolute; null for an in-memory database or a {@code file:} URI. */
    static Path fileOf(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.isEmpty() || rest.startsWith(":") || rest.startsWith("file:")) return null;
        return Path.of(rest).toAbsolutePath();
    }

    private static Object keyOf(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void createParentDirectory(String url) {
        Path db = fileOf(url);
        if (db == null) return;
        Path parent = db.getParent();
        if (parent == null || Files.isDirectory(parent)) return;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the directory " + parent + " for the database: " + e.getMessage(), e);
        }
    }

    public String url() {
        return url;
    }

    /**
     * Null while the file at the configured path is the one this database opened; otherwise why not (deleted, its
     * folder deleted, or replaced by another file). The first time it is seen, it is logged as an error; from then on
     * it stays lost, even if a file comes back at the path (what was recorded meanwhile is not in it). Costs one
     * {@code stat}; never blocks on the database.
     */
    public String lost() {
        String why = lost;
        if (why != null || file == null) return why;
        why = identityProblem();
        if (why == null) return null;
        synchronized (this) {
            if (lost == null) {
                lost = why;
                log.error("{}. pictor takes no new jobs; stop it, restore the database file (or let it start anew) and start it again.", why);
            }
            return lost;
        }
    }

    private String identityProblem() {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "the database file " + file + " is gone (it or its folder was deleted or moved while pictor ran)";
        } catch (IOException e) {
            return null; // cannot tell (e.g. no permission to look); the write probe says whether it still works
        }
        if (fileKey != null && !fileKey.equals(now.fileKey())) {
            return "the database file " + file + " was replaced by another file while pictor ran";
        }
        return null;
    }

    /**
     * Proves that the database takes a write right now: in a {@code BEGIN IMMEDIATE} transaction, on a connection of
     * its own that waits at most {@code busyTimeout} for another writer (so it never waits behind the 10 s busy
     * timeout of the shared connection), it updates the one row of the {@code health} table. The connection opens the
     * file at the configured path, never creating one, so a read-only or immutable file, a missing folder, a full
     * disk or a lock held too long all fail it.
     *
     * @throws StoreException saying why the database does not take writes
     */
    public void probeWrite(Duration busyTimeout) {
        String why = lost();
        if (why != null) throw new StoreException(why);
        if (file == null) {
            probeOnSharedConnection(busyTimeout);
            return;
        }
        var config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout((int) Math.max(1, busyTimeout.toMillis()));
        try (Connection c = config.createConnection(url); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try (PreparedStatement ps = c.prepareStatement(HEALTH_UPSERT)) {
                ps.setLong(1, System.currentTimeMillis());
                ps.setString(2, PROBED_BY);
                ps.executeUpdate();
            }
            s.execute("COMMIT"); // closing the connection rolls back whatever did not commit
        } catch (SQLException e) {
            throw new StoreException(describe(e, busyTimeout), e);
        }
    }

    private static final String HEALTH_UPSERT = "INSERT INTO health (id, probed_at, probed_by) VALUES (1, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, probed_by = excluded.probed_by";
    private static final String PROBED_BY = ManagementFactory.getRuntimeMXBean().getName();

    /** An in-memory database has no other connection: the probe waits for the shared one, at most {@code wait}. */
    private void probeOnSharedConnection(Duration wait) {
        boolean locked;
        try {
            locked = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database");
        }
        if (!locked) throw new StoreException("the database has been busy with another write for over " + wait.toMillis() + " ms");
        try {
            write(d -> {
                var ps = d.prepared(HEALTH_UPSERT);
                ps.setLong(1, System.currentTimeMillis());
                ps.setString(2, PROBED_BY);
                return ps.executeUpdate();
            });
        } finally {
            lock.unlock();
        }
    }

    private String describe(SQLException e, Duration busyTimeout) {
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

    /** Runs {@code work} alone on the connection, each statement on its own (autocommit). */
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(this);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE}); a call inside another joins it. The
     * transaction commits when the outermost work returns, or rolls back if it throws or asked {@link #rollbackOnly()}.
     * Once the file is known to be {@link #lost()}, every write fails: what it recorded would be lost with the file
     * (a Telegram batch stays unconfirmed, an admin is told the change did not happen, a job is refused).
     *
     * @throws StoreException when the write fails, or the file is lost
     */
    public <T> T write(Work<T> work) {
        String gone = lost; // as last seen (checked every second by the health probe), not a stat per write
        if (gone != null) throw new StoreException(gone);
        lock.lock();
        try {
            boolean outer = depth == 0;
            if (outer) {
                execute("BEGIN IMMEDIATE");
                rollbackOnly = false;
            }
            depth++;
            boolean ok = false;
            try {
                T result = work.run(this);
                ok = true;
                return result;
            } finally {
                depth--;
                if (outer) finish(ok && !rollbackOnly);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void finish(boolean commit) throws SQLException {
        try {
            execute(commit ? "COMMIT" : "ROLLBACK");
        } catch (SQLException e) {
            if (commit) {
                try {
                    execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // the transaction is gone already
                }
            }
            throw e;
        }
    }

    /** Makes the current write transaction roll back instead of committing (e.g. a charge a later layer refused). */
    public void rollbackOnly() {
        if (!lock.isHeldByCurrentThread() || depth == 0) throw new IllegalStateException("not in a write transaction");
        rollbackOnly = true;
    }

    /**
     * A prepared statement for {@code sql}, kept for reuse: call only inside {@link #read} or {@link #write}, never
     * close it, and set every parameter.
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        if (!lock.isHeldByCurrentThread()) throw new IllegalStateException("use the database inside read() or write()");
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs one statement without parameters. */
    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
