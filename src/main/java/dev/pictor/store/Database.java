package dev.pictor.store;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * pictor's SQLite database: one connection per process, used by one thread at a time (SQLite has a single writer
 * anyway), in WAL mode with foreign keys on and a busy timeout, so that several processes on one host may share the
 * file. Writes run in {@code BEGIN IMMEDIATE} transactions: the write lock is taken first, so a transaction never
 * fails half-way because another process wrote in between. The schema is migrated when the database is opened.
 */
public final class Database implements AutoCloseable {
    /** How long a statement waits for another process's write lock before failing. */
    public static final int BUSY_TIMEOUT_MS = 10_000;

    @FunctionalInterface
    public interface Work<T> {
        T run(Database db) throws SQLException;
    }

    private final String url;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int depth;
    private boolean rollbackOnly;

    private Database(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
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

    private static void createParentDirectory(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.isEmpty() || rest.startsWith(":") || rest.startsWith("file:")) return;
        Path parent = Path.of(rest).toAbsolutePath().getParent();
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
     */
    public <T> T write(Work<T> work) {
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
