package dev.pictor.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The schema, migrated by Flyway when a {@link Database} opens: the versioned SQL files under
 * {@code db/migration/common} (one text for both engines) and {@code db/migration/sqlite} or
 * {@code db/migration/postgresql} (where the dialects differ), recorded in {@code flyway_schema_history}. To change the
 * schema add {@code V<n>__what.sql}: to {@code common} when one text suits both engines, else one to each engine's
 * folder with the same version.
 *
 * <p>An SQLite file made by pictor's earlier hand-written migrator (its {@code schema_version} table, V1 to V4, the
 * same SQL as {@code db/migration/sqlite} holds) is baselined at the version it reached: nothing already applied runs
 * again, no data is touched, and later migrations apply as usual. A database migrated by a newer pictor (a version
 * this one does not know) is refused, as is a migration changed after it was applied.
 *
 * <p>Two processes starting together migrate once: on PostgreSQL Flyway holds an advisory lock while it migrates; on
 * SQLite (which Flyway does not lock) a file lock beside the database file, and a lock within the JVM, are held.
 */
final class Migrations {
    /** Within one JVM, SQLite migrations run one at a time (a file lock is held per JVM, not per thread). */
    private static final ReentrantLock SQLITE_MIGRATING = new ReentrantLock();

    private Migrations() {
    }

    /** Migrates {@code db}; returns the schema version now in force. */
    static String migrate(Database db) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            return run(db, Flyway.configure().dataSource(db.pool()).locations("classpath:db/migration/common",
                    "classpath:db/migration/postgresql"));
        }
        SQLITE_MIGRATING.lock();
        try (Closeable ignored = fileLock(db.file())) {
            Connection c = db.sqliteConnection();
            var config = Flyway.configure().dataSource(new OneConnection(c))
                    .locations("classpath:db/migration/common", "classpath:db/migration/sqlite");
            Integer old = oldMigratorVersion(c);
            if (old != null) {
                config.baselineOnMigrate(true).baselineVersion(MigrationVersion.fromVersion(Integer.toString(old)))
                        .baselineDescription("schema of the earlier migrator");
            }
            return run(db, config);
        } catch (IOException e) {
            throw new StoreException("cannot lock " + db.file() + " to migrate it: " + e.getMessage(), e);
        } finally {
            SQLITE_MIGRATING.unlock();
        }
    }

    private static String run(Database db, FluentConfiguration config) {
        Flyway flyway = config.load();
        try {
            // one look at the migrations and the history (each info() reads both again: ~0.1 s of a cold start)
            MigrationInfoService before = flyway.info();
            refuseNewer(db, before);
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) return result.targetSchemaVersion;
            MigrationInfo now = before.current();
            return now == null ? "0" : now.getVersion().getVersion();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the database " + db.url() + ": " + e.getMessage(), e);
        }
    }

    /** A database a newer pictor migrated: its versions are unknown here, and this pictor must not run on it. */
    private static void refuseNewer(Database db, MigrationInfoService info) {
        MigrationInfo[] all = info.all();
        MigrationVersion known = Arrays.stream(all).filter(i -> i.getState() != MigrationState.FUTURE_SUCCESS
                        && i.getState() != MigrationState.FUTURE_FAILED && i.getVersion() != null
                        && i.getType() != null && !i.getType().isBaseline())
                .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
        MigrationInfo current = info.current();
        if (current != null && current.getVersion() != null && current.getVersion().isNewerThan(known.getVersion())) {
            throw new StoreException("the database " + db.url() + " has schema version " + current.getVersion()
                    + ", newer than this pictor knows (" + known + "); run a newer pictor");
        }
    }

    /**
     * The version an SQLite file reached under the earlier hand-written migrator, or null when it has no
     * {@code schema_version} table or Flyway has taken over already.
     */
    private static Integer oldMigratorVersion(Connection c) {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
                    + "AND name IN ('schema_version', 'flyway_schema_history')")) {
                boolean old = false;
                while (rs.next()) {
                    if (rs.getString(1).equals("flyway_schema_history")) return null;
                    old = true;
                }
                if (!old) return null;
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                int v = rs.next() ? rs.getInt(1) : 0;
                return v > 0 ? v : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the schema version of the database: " + e.getMessage(), e);
        }
    }

    /** The lock file beside the database file, held until closed; null (nothing to hold) in memory. */
    private static Closeable fileLock(Path dbFile) throws IOException {
        if (dbFile == null) return null; // in memory: no other process can see it
        FileChannel channel = FileChannel.open(dbFile.resolveSibling(dbFile.getFileName() + ".migrate-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock(); // released when the channel closes
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * SQLite's one connection as a data source for Flyway: an in-memory database exists only on it, and the
     * database's settings (busy timeout, foreign keys) hold. Flyway's {@code close()} leaves it open.
     */
    private record OneConnection(Connection connection) implements DataSource {
        @Override
        public Connection getConnection() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) return null;
                        if (method.getName().equals("isClosed")) return false;
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
