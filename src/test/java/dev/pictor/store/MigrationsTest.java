package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway takes over the schema: files made by the earlier migrator open as they are; starts racing migrate once. */
class MigrationsTest {
    @TempDir
    Path dir;

    /** What pictor's hand-written migrator (up to this change) did to a new file: V1..V4 and its schema_version rows. */
    static void migrateAsTheOldMigratorDid(Connection c) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    + "checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            List<String> files = List.of("V1__ledger_and_quota.sql", "V2__job_posts_and_origin.sql", "V3__health.sql",
                    "V4__telegram_inbox.sql");
            for (int v = 1; v <= files.size(); v++) {
                String sql;
                try (InputStream in = MigrationsTest.class.getResourceAsStream("/db/migration/sqlite/" + files.get(v - 1))) {
                    sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String statement : statements(sql)) s.execute(statement);
                s.execute("INSERT INTO schema_version VALUES (" + v + ", '" + files.get(v - 1) + "', 'sha', 0)");
            }
        }
    }

    /** The old migrator's split: at semicolons ending a line, comment lines dropped. */
    private static List<String> statements(String sql) {
        var out = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) continue;
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void a_file_the_old_migrator_made_at_v4_opens_without_rerunning_v1_to_v4_and_keeps_its_data() throws Exception {
        // given a pictor.db from before Flyway, with a job, a quota bucket, an audit entry and an inbox row in it
        String url = "jdbc:sqlite:" + dir.resolve("pictor.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            migrateAsTheOldMigratorDid(c);
            s.execute("INSERT INTO jobs (id, status, platform, user_id, prompt, model, aspect, images_asked, enhance, "
                    + "created_at, owner) VALUES ('old-job', 'succeeded', 'discord', 'u1', 'a fox', 'imagen-4', '1:1', 1, 0, 1, 'h/1/1')");
            s.execute("INSERT INTO quota_buckets (id, state) VALUES ('member:discord:u1', x'0102')");
            s.execute("INSERT INTO audit (at, actor, action, target) VALUES (1, 'admin', 'grant', 'member:discord:u1')");
            s.execute("INSERT INTO telegram_inbox (bot_profile, update_id, payload, received_at) VALUES ('tg', 7, '{}', 1)");
        }

        // when this pictor opens it
        try (Database db = Database.open(url)) {
            // then V1..V4 are the baseline (not run again: their CREATE TABLEs would fail), V5 is applied on top
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT version || ':' || type FROM flyway_schema_history ORDER BY installed_rank")))
                    .containsExactly("4:BASELINE", "5:SQL", "6:SQL", "7:SQL", "8:SQL", "9:SQL", "10:SQL", "11:SQL");
            // and every row is still there
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT id FROM jobs"))).containsExactly("old-job");
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT hex(state) FROM quota_buckets"))).containsExactly("0102");
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT action FROM audit"))).containsExactly("grant");
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT update_id FROM telegram_inbox"))).containsExactly("7");
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT count(*) FROM instances"))).containsExactly("0");
        }
        // and opening it again changes nothing
        try (Database db = Database.open(url)) {
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")))
                    .containsExactly("4", "5", "6", "7", "8", "9", "10", "11");
        }
    }

    @Test
    void two_starts_on_one_new_file_at_once_migrate_it_once() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("pictor.db");
        var barrier = new CyclicBarrier(4);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var opened = new ArrayList<Future<Database>>();
            for (int i = 0; i < 4; i++) {
                opened.add(pool.submit((Callable<Database>) () -> {
                    barrier.await();
                    return Database.open(url);
                }));
            }
            for (Future<Database> f : opened) f.get().close();
        }
        try (Database db = Database.open(url)) {
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")))
                    .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        }
    }

    @Test
    void four_processes_starting_at_once_on_one_new_postgresql_schema_migrate_it_once() throws Exception {
        // each Database.open has a pool of its own, as a process would: Flyway's advisory lock lets one migrate
        String url = PostgresFixture.freshUrl();
        var barrier = new CyclicBarrier(4);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var opened = new ArrayList<Future<Database>>();
            for (int i = 0; i < 4; i++) {
                opened.add(pool.submit((Callable<Database>) () -> {
                    barrier.await();
                    return Database.open(url);
                }));
            }
            for (Future<Database> f : opened) f.get().close();
        }
        try (Database db = Database.open(url)) {
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")))
                    .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT count(*) FROM jobs"))).containsExactly("0");
        }
    }

    @Test
    void the_list_of_scripts_is_the_jars_migrations_oldest_first() throws Exception {
        for (String engine : List.of("sqlite", "postgresql")) {
            var files = new ArrayList<String>();
            for (String folder : List.of(engine, "common")) {
                Path dir = Path.of(getClass().getClassLoader().getResource("db/migration/" + folder).toURI());
                try (var list = java.nio.file.Files.list(dir)) {
                    list.forEach(f -> files.add((folder.equals("common") ? "common/" : "") + f.getFileName()));
                }
            }
            files.sort(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.replaceAll("^(common/)?V(\\d+)__.*", "$2"))));
            assertThat(Migrations.SCRIPTS).as(engine).containsExactlyElementsOf(files);
        }
    }

    @Test
    void a_database_at_this_jars_schema_opens_without_flyway_with_the_checksums_flyway_gave() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            // the checksums computed here are the ones Flyway recorded when it migrated
            for (String script : Migrations.SCRIPTS) {
                String name = script.substring(script.indexOf('/') + 1);
                String path = script.startsWith("common/") ? "db/migration/" + script : "db/migration/sqlite/" + script;
                assertThat(db.<List<String>>read(d -> rows(d, "SELECT checksum FROM flyway_schema_history WHERE script = '" + name + "'")))
                        .as(name).containsExactly(Integer.toString(Migrations.checksum(path)));
            }
            assertThat(Migrations.migrated(db)).isEqualTo(new Migrations.Migrated("11", false));
        }
    }

    @Test
    void a_changed_migration_still_goes_to_flyway_which_refuses_it() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            execute(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '7'");
            assertThat(Migrations.current(db)).isNull();
            assertThatThrownBy(() -> Migrations.migrated(db)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void a_failed_or_missing_migration_goes_to_flyway() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            execute(db, "UPDATE flyway_schema_history SET success = 0 WHERE version = '11'");
            assertThat(Migrations.current(db)).isNull();
            execute(db, "DELETE FROM flyway_schema_history WHERE version = '11'");
            assertThat(Migrations.current(db)).isNull();
            // with V11 and its table gone, Flyway applies V11 again; the next open finds the schema current
            execute(db, "DROP TABLE admin_chats");
            assertThat(Migrations.migrated(db)).isEqualTo(new Migrations.Migrated("11", true));
            assertThat(Migrations.migrated(db)).isEqualTo(new Migrations.Migrated("11", false));
        }
    }

    @Test
    void a_postgresql_schema_at_this_jars_version_opens_without_flyway() throws Exception {
        try (Database db = Database.open(PostgresFixture.freshUrl())) {
            assertThat(Migrations.migrated(db)).isEqualTo(new Migrations.Migrated("11", false));
            execute(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
            assertThatThrownBy(() -> Migrations.migrated(db)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void a_postgresql_search_path_that_finds_another_schemas_history_still_migrates_its_own_schema() throws Exception {
        // given a schema migrated already, and an empty one searched first
        String migrated = PostgresFixture.freshUrl();
        Database.open(migrated).close();
        String other = PostgresFixture.freshUrl();
        String empty = other.substring(other.indexOf("currentSchema=") + "currentSchema=".length());
        String base = migrated.substring(migrated.indexOf("currentSchema=") + "currentSchema=".length());
        // when pictor opens the empty one with the migrated one behind it on the search path
        try (Database db = Database.open(PostgresFixture.url(empty + "," + base))) {
            // then Flyway migrated the empty one (the history behind it on the path is not taken for its own)
            assertThat(db.<List<String>>read(d -> rows(d, "SELECT count(*) FROM " + empty + ".flyway_schema_history")))
                    .containsExactly("11");
            assertThat(Migrations.migrated(db)).isEqualTo(new Migrations.Migrated("11", false));
        }
    }

    /** Runs one statement that writes, as a test's tampering with the history. */
    private static void execute(Database db, String sql) {
        db.write(d -> {
            d.execute(sql);
            return null;
        });
    }

    static List<String> rows(Database d, String sql) throws SQLException {
        var out = new ArrayList<String>();
        try (ResultSet rs = d.prepared(sql).executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
