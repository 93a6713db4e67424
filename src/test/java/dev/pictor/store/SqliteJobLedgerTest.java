package dev.pictor.store;

import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job ledger and its crash repair on an SQLite file, and what only SQLite has: its migrations, WAL, busy timeout. */
class SqliteJobLedgerTest extends JobLedgerContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }

    @Test
    void migrations_apply_once_and_a_newer_database_is_refused() {
        open("host/1/1");
        db.close();
        open("host/1/1");
        assertThat(db.<String>read(d -> {
            try (ResultSet rs = d.prepared("SELECT group_concat(version) FROM (SELECT version FROM flyway_schema_history "
                    + "WHERE success = 1 ORDER BY installed_rank)").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        })).isEqualTo("1,2,3,4,5,6,7,8,9,10,11");
        db.write(d -> {
            d.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'x', 0, 1)");
            return null;
        });
        db.close();
        db = null;
        assertThatThrownBy(() -> Database.open(url()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99, newer than this pictor knows (11)");
    }

    @Test
    void the_database_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
        open("host/1/1");
        assertThat(db.<String>read(d -> {
            var out = new StringBuilder();
            for (String pragma : List.of("journal_mode", "foreign_keys", "busy_timeout")) {
                try (ResultSet rs = d.prepared("PRAGMA " + pragma).executeQuery()) {
                    rs.next();
                    out.append(rs.getString(1)).append(' ');
                }
            }
            return out.toString().strip();
        })).isEqualTo("wal 1 " + Database.BUSY_TIMEOUT_MS);
    }
}
