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
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import java.util.zip.CRC32;

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
 *
 * <p>A database already at this jar's schema, as most starts find it, is opened without Flyway (issue #15: Flyway's
 * set-up and its ~400 classes were a tenth of a second of every start and ~3 MB of resident memory for good): when
 * its history holds exactly this jar's migrations, each applied with success and with the checksum Flyway gave the
 * same file (CRC-32 of its lines, as Flyway computes it), and nothing else. Anything else, a changed migration, one
 * that failed, a newer or an older schema, a history that cannot be read, goes to Flyway, which decides as before.
 */
final class Migrations {
    /** Within one JVM, SQLite migrations run one at a time (a file lock is held per JVM, not per thread). */
    private static final ReentrantLock SQLITE_MIGRATING = new ReentrantLock();

    private Migrations() {
    }

    /**
     * This jar's migrations, oldest first: {@code V1}–{@code V4} in each engine's folder, the rest in {@code common}
     * ({@code MigrationsTest} checks this list against the folders).
     */
    static final List<String> SCRIPTS = List.of("V1__ledger_and_quota.sql", "V2__job_posts_and_origin.sql",
            "V3__health.sql", "V4__telegram_inbox.sql", "common/V5__instances.sql", "common/V6__job_cost.sql",
            "common/V7__community_language.sql", "common/V8__spend_caps.sql", "common/V9__inbox_taken_by.sql",
            "common/V10__identify_slots.sql", "common/V11__admin_chats.sql");

    /** What opening did to the schema. */
    record Migrated(String version, boolean byFlyway) {
    }

    /** Migrates {@code db}; returns the schema version now in force. */
    static String migrate(Database db) {
        return migrated(db).version();
    }

    /** Migrates {@code db} (Flyway only when the schema is not this jar's already). */
    static Migrated migrated(Database db) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            String current = current(db);
            if (current != null) return new Migrated(current, false);
            return new Migrated(run(db, Flyway.configure().dataSource(db.pool()).locations("classpath:db/migration/common",
                    "classpath:db/migration/postgresql")), true);
        }
        // on SQLite the history is read under the migration's locks too: a read beside another start's switch of a new
        // file to WAL made that switch fail at once with SQLITE_BUSY (MigrationsTest, two starts on one new file)
        SQLITE_MIGRATING.lock();
        try (Closeable ignored = fileLock(db.file())) {
            String current = current(db);
            if (current != null) return new Migrated(current, false);
            Connection c = db.sqliteConnection();
            var config = Flyway.configure().dataSource(new OneConnection(c))
                    .locations("classpath:db/migration/common", "classpath:db/migration/sqlite");
            Integer old = oldMigratorVersion(c);
            if (old != null) {
                config.baselineOnMigrate(true).baselineVersion(MigrationVersion.fromVersion(Integer.toString(old)))
                        .baselineDescription("schema of the earlier migrator");
            }
            return new Migrated(run(db, config), true);
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
     * The jar's newest version when the database's history is exactly this jar's migrations, all applied, each with
     * the checksum of this jar's file; null when anything differs or the history cannot be read (Flyway decides).
     */
    static String current(Database db) {
        try {
            if (db.dialect() == Dialect.POSTGRESQL) {
                try (Connection c = db.pool().getConnection()) {
                    return current(c, "postgresql");
                }
            }
            return current(db.sqliteConnection(), "sqlite");
        } catch (SQLException | IOException | RuntimeException e) {
            return null; // no history yet (a new database), or one Flyway is to judge
        }
    }

    private static String current(Connection c, String engine) throws SQLException, IOException {
        Map<String, Integer> expected = new HashMap<>(); // script file name → checksum
        String newest = null;
        for (String script : SCRIPTS) {
            String path = script.startsWith("common/") ? "db/migration/" + script : "db/migration/" + engine + "/" + script;
            String name = script.substring(script.indexOf('/') + 1);
            expected.put(name, checksum(path));
            newest = name.substring(1, name.indexOf("__"));
        }
        String table = "flyway_schema_history";
        if (engine.equals("postgresql")) {
            // Flyway's history is in the connection's current schema, not wherever the search path finds one
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                String schema = rs.next() ? rs.getString(1) : null;
                if (schema == null) return null;
                table = '"' + schema.replace("\"", "\"\"") + "\".flyway_schema_history";
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, type, script, checksum, success FROM " + table)) {
            var seen = new HashSet<String>();
            while (rs.next()) {
                String version = rs.getString(1);
                String name = rs.getString(3);
                int checksum = rs.getInt(4);
                Integer want = name == null ? null : expected.get(name);
                if (want == null || rs.wasNull() || want != checksum || !rs.getBoolean(5) || !"SQL".equals(rs.getString(2))
                        || version == null || !name.startsWith("V" + version + "__") || !seen.add(name)) {
                    return null;
                }
            }
            return seen.size() == SCRIPTS.size() ? newest : null;
        }
    }

    /** Flyway's checksum of a migration: CRC-32 over the UTF-8 bytes of its lines, without their ends or a BOM. */
    static int checksum(String resource) throws IOException {
        InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IOException("no migration " + resource + " in the jar");
        var crc = new CRC32();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean first = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (first && line.startsWith("\uFEFF")) line = line.substring(1);
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
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
