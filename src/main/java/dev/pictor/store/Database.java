package dev.pictor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pictor.ops.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * pictor's database: an SQLite file (the default) or PostgreSQL, behind one API for the store's classes:
 * {@link #read}, {@link #write} (one transaction; a call inside another joins it), {@link #prepared} statements, and
 * a {@link Dialect} for the few SQL forms the two engines spell differently. The schema is migrated by Flyway when
 * the database is opened ({@link Migrations}).
 *
 * <p><b>SQLite</b>: one connection per process, used by one thread at a time (SQLite has a single writer anyway), in
 * WAL mode with foreign keys on and a busy timeout, so that several processes on one host may share the file. Writes
 * run in {@code BEGIN IMMEDIATE} transactions: the write lock is taken first, so a transaction never fails half-way
 * because another process wrote in between. The database watches the file it opened ({@link SqliteFile}): if the
 * file at the configured path is deleted or replaced while pictor runs, {@link #lost()} notices it.
 *
 * <p><b>PostgreSQL</b> ({@code jdbc:postgresql:} URLs): a HikariCP pool; each {@link #write} borrows a connection
 * for its transaction (READ COMMITTED; rows a transaction must not see change under it are locked with
 * {@link Dialect#forUpdate()}), bound to the calling thread so that nested calls join it; a {@link #read} outside a
 * write borrows one in autocommit. Nothing is ever "lost" there: the server answers or it does not, which
 * {@link #probeWrite} tells.
 *
 * <p>{@link #probeWrite} proves, with a short timeout, that the database takes a write ({@link WriteProbe}).
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a statement waits for another process's write lock before failing. */
    public static final int BUSY_TIMEOUT_MS = 10_000;
    /** The most connections a process holds to PostgreSQL. */
    static final int POOL_SIZE = 10;

    @FunctionalInterface
    public interface Work<T> {
        T run(Database db) throws SQLException;
    }

    /** A connection in use by one caller: its statements, and the write transaction it is in, if any. */
    private static final class Session {
        final Connection connection;
        final Map<String, PreparedStatement> statements = new HashMap<>();
        int depth;
        boolean rollbackOnly;

        Session(Connection connection) {
            this.connection = connection;
        }

        void closeStatements() {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
        }
    }

    private final String url;
    private final Dialect dialect;
    /** SQLite: the one connection's session, used under {@link #lock}. Null for PostgreSQL. */
    private final Session shared;
    /** PostgreSQL: the pool. Null for SQLite. */
    private final HikariDataSource pool;
    /** PostgreSQL: the session of the calling thread's read or write, while it runs. */
    private final ThreadLocal<Session> current = new ThreadLocal<>();
    /** The database file, watched; null when there is none to watch (in memory, a {@code file:} URI, PostgreSQL). */
    private final SqliteFile file;
    private final ReentrantLock lock = new ReentrantLock();
    /** Why the file at {@link #file} is no longer this database; once set, it stays. */
    private volatile String lost;

    private Database(String url, Connection connection) {
        this.url = url;
        this.dialect = Dialect.SQLITE;
        this.shared = new Session(connection);
        this.pool = null;
        this.file = SqliteFile.of(url);
    }

    private Database(String url, HikariDataSource pool) {
        this.url = url;
        this.dialect = Dialect.POSTGRESQL;
        this.shared = null;
        this.pool = pool;
        this.file = null;
    }

    /** Opens (creating if needed) the database at a JDBC URL such as {@code jdbc:sqlite:data/pictor.db}, migrated. */
    public static Database open(String url) {
        return open(url, null, null);
    }

    /**
     * Opens the database at {@code url}, migrated: an SQLite file (created if needed) for {@code jdbc:sqlite:}, or a
     * PostgreSQL database for {@code jdbc:postgresql:}, logging in as {@code user} with {@code password} when given
     * (else as the URL says). Neither the password nor the URL's query appear in a message.
     */
    public static Database open(String url, String user, String password) {
        if (url != null && url.startsWith("jdbc:postgresql:")) return openPostgres(url, user, password);
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            throw new StoreException("storage.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not " + Secrets.redact(url));
        }
        SqliteFile.createParentDirectory(url);
        var config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // nothing here reads generated keys: without this the driver matches every update's SQL against a pattern
        // and, after each INSERT, runs a statement of its own ("SELECT last_insert_rowid()"), several per job
        config.setGetGeneratedKeys(false);
        Connection c;
        try {
            c = config.createConnection(url);
            // WAL once the busy timeout is in force: switching a new file to WAL takes its lock, and two processes
            // opening one new file at once would otherwise fail at once with SQLITE_BUSY instead of waiting; the
            // switch can still be refused at once (no busy wait) while another start reads the new file: asked again
            // then, within the same timeout
            long deadline = System.nanoTime() + BUSY_TIMEOUT_MS * 1_000_000L;
            while (true) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    break;
                } catch (SQLException e) {
                    boolean busy = e.getErrorCode() == 5 || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                    if (!busy || System.nanoTime() > deadline) {
                        c.close();
                        throw e;
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    c.close();
                    throw new SQLException("interrupted while the database was opened", e);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + url + ": " + e.getMessage(), e);
        }
        var db = new Database(url, c);
        try {
            Migrations.migrate(db);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database openPostgres(String url, String user, String password) {
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) config.setUsername(user);
        if (password != null && !password.isEmpty()) config.setPassword(password);
        config.setPoolName("pictor-db");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS);
        // the first connection is made at start: a wrong URL, login or a server that is down stops the start here
        config.setInitializationFailTimeout(BUSY_TIMEOUT_MS);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + Secrets.redact(url) + ": " + rootMessage(e), e);
        }
        var db = new Database(Secrets.redact(url), pool);
        try {
            Migrations.migrate(db);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The engine, and so the spelling of the SQL that differs. */
    public Dialect dialect() {
        return dialect;
    }

    /** PostgreSQL's pool, for Flyway; null for SQLite. */
    DataSource pool() {
        return pool;
    }

    /** SQLite's one connection, for Flyway (it runs before anything else uses it); null for PostgreSQL. */
    Connection sqliteConnection() {
        return shared == null ? null : shared.connection;
    }

    /** The SQLite file, or null (in memory, PostgreSQL). */
    Path file() {
        return file == null ? null : file.path();
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
        why = file.problem();
        if (why == null) return null;
        synchronized (this) {
            if (lost == null) {
                lost = why;
                log.error("{}. pictor takes no new jobs; stop it, restore the database file (or let it start anew) and start it again.", why);
            }
            return lost;
        }
    }

    /**
     * Proves that the database takes a write right now, within {@code busyTimeout} ({@link WriteProbe}).
     *
     * @throws StoreException saying why the database does not take writes
     */
    public void probeWrite(Duration busyTimeout) {
        String why = lost();
        if (why != null) throw new StoreException(why);
        new WriteProbe(this).run(busyTimeout);
    }

    /** PostgreSQL's pool (the probe borrows a connection of it); null for SQLite. */
    HikariDataSource postgresPool() {
        return pool;
    }

    /** The lock of SQLite's one connection (an in-memory database's probe waits for it). */
    ReentrantLock sharedLock() {
        return lock;
    }

    /**
     * Runs {@code work} with a connection, each statement on its own (autocommit), or inside the calling thread's
     * write transaction when there is one. SQLite: alone on the one connection.
     */
    public <T> T read(Work<T> work) {
        if (pool != null) return onPostgres(false, work);
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
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE} in SQLite; a pooled connection's
     * transaction in PostgreSQL); a call inside another joins it. The transaction commits when the outermost work
     * returns, or rolls back if it throws or asked {@link #rollbackOnly()}; on PostgreSQL, an outermost transaction the
     * server rolled back for a deadlock or a serialization failure runs again, up to three times in all (the work
     * must keep its effects in the database). Once the SQLite file is known to be
     * {@link #lost()}, every write fails: what it recorded would be lost with the file (a Telegram batch stays
     * unconfirmed, an admin is told the change did not happen, a job is refused).
     *
     * @throws StoreException when the write fails, or the file is lost
     */
    public <T> T write(Work<T> work) {
        String gone = lost; // as last seen (checked every second by the health probe), not a stat per write
        if (gone != null) throw new StoreException(gone);
        if (pool != null) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return onPostgres(true, work);
                } catch (StoreException e) {
                    // a deadlock or serialization failure rolled the whole transaction back: run it again, alone
                    if (attempt >= RETRIES || current.get() != null || !retryable(e)) throw e;
                    log.debug("write transaction rolled back by the server ({}); running it again", e.getMessage());
                }
            }
        }
        lock.lock();
        try {
            return inTransaction(shared, work, () -> control("BEGIN IMMEDIATE"));
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** How many times an outermost PostgreSQL write runs when the server rolls it back for a deadlock. */
    private static final int RETRIES = 3;

    private static boolean retryable(StoreException e) {
        return e.getCause() instanceof SQLException s && s.getSQLState() != null
                && (s.getSQLState().equals("40P01") || s.getSQLState().equals("40001"));
    }

    @FunctionalInterface
    private interface Begin {
        void run() throws SQLException;
    }

    private <T> T inTransaction(Session s, Work<T> work, Begin begin) throws SQLException {
        boolean outer = s.depth == 0;
        if (outer) {
            begin.run();
            s.rollbackOnly = false;
        }
        s.depth++;
        T result;
        try {
            result = work.run(this);
        } catch (Throwable failed) {
            s.depth--;
            if (outer) {
                try {
                    finish(s, false);
                } catch (SQLException | RuntimeException ending) {
                    failed.addSuppressed(ending); // the work's own error (a 40P01 the retry re-runs) is the one told
                }
            }
            throw failed;
        }
        s.depth--;
        if (outer) finish(s, !s.rollbackOnly);
        return result;
    }

    private <T> T onPostgres(boolean write, Work<T> work) {
        Session s = current.get();
        boolean borrowed = s == null;
        try {
            if (borrowed) {
                s = new Session(pool.getConnection());
                current.set(s);
            }
            if (!write) return work.run(this);
            Session session = s;
            return inTransaction(session, work, () -> session.connection.setAutoCommit(false));
        } catch (SQLException e) {
            throw new StoreException("database error: " + rootMessage(e), e);
        } finally {
            if (borrowed && s != null) {
                current.remove();
                s.closeStatements();
                try {
                    s.connection.close(); // back to the pool, which rolls back whatever did not commit
                } catch (SQLException ignored) {
                    // the pool drops a broken connection
                }
            }
        }
    }

    /**
     * Commits or rolls back, then (PostgreSQL) gives the connection back its auto-commit; when the end fails, its
     * error is the one thrown, and a failure to restore auto-commit on a broken connection is added to it as
     * suppressed rather than hiding it.
     */
    private void finish(Session s, boolean commit) throws SQLException {
        Connection c = s.connection;
        SQLException ended = null;
        try {
            if (pool == null) control(commit ? "COMMIT" : "ROLLBACK");
            else if (commit) c.commit();
            else c.rollback();
        } catch (SQLException e) {
            if (commit) {
                try {
                    if (pool == null) control("ROLLBACK");
                    else c.rollback();
                } catch (SQLException ignored) {
                    // the transaction is gone already
                }
            }
            ended = e;
        }
        if (pool != null) {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                if (ended == null) ended = e;
                else ended.addSuppressed(e);
            }
        }
        if (ended != null) throw ended;
    }

    /** The calling thread's session, or an exception when it is not inside {@link #read} or {@link #write}. */
    private Session session() {
        if (pool == null) {
            if (!lock.isHeldByCurrentThread()) throw new IllegalStateException("use the database inside read() or write()");
            return shared;
        }
        Session s = current.get();
        if (s == null) throw new IllegalStateException("use the database inside read() or write()");
        return s;
    }

    /**
     * Whether the calling thread works on this database now (inside {@link #read} or {@link #write}): SQLite's one
     * lock is held by it, or it has a PostgreSQL session. What must not queue behind another lock then (it would wait
     * while holding this one) asks first.
     */
    public boolean inUse() {
        return pool == null ? lock.isHeldByCurrentThread() : current.get() != null;
    }

    /** Makes the current write transaction roll back instead of committing (e.g. a charge a later layer refused). */
    public void rollbackOnly() {
        Session s = pool == null && !lock.isHeldByCurrentThread() ? null : pool == null ? shared : current.get();
        if (s == null || s.depth == 0) throw new IllegalStateException("not in a write transaction");
        s.rollbackOnly = true;
    }

    /**
     * A prepared statement for {@code sql}, kept for reuse (SQLite: for the connection's life; PostgreSQL: for the
     * read's or write's): call only inside {@link #read} or {@link #write}, never close it, and set every parameter.
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        Session s = session();
        PreparedStatement ps = s.statements.get(sql);
        if (ps == null) {
            ps = s.connection.prepareStatement(sql);
            s.statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * SQLite's {@code BEGIN IMMEDIATE}, {@code COMMIT} or {@code ROLLBACK}, as a statement prepared once for the
     * connection: every write runs two of them, and a plain statement would be created, parsed and finalized each time.
     */
    private void control(String sql) throws SQLException {
        PreparedStatement ps = shared.statements.get(sql);
        if (ps == null) {
            ps = shared.connection.prepareStatement(sql);
            shared.statements.put(sql, ps);
        }
        try {
            ps.execute();
        } catch (SQLException e) {
            // the driver may have finalized it (a failure other than busy or locked): the next use prepares it anew
            shared.statements.remove(sql);
            try {
                ps.close();
            } catch (SQLException ignored) {
                // dropped anyway
            }
            throw e;
        }
    }

    /** Runs one statement without parameters (PostgreSQL: inside {@link #read} or {@link #write}). */
    public void execute(String sql) throws SQLException {
        Connection c = pool == null ? shared.connection : session().connection;
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            return;
        }
        lock.lock();
        try {
            shared.closeStatements();
            shared.connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
