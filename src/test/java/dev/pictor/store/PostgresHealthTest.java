package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /healthz's write probe on PostgreSQL: up while the server takes the write, down (with why) when it cannot. */
class PostgresHealthTest {
    @Test
    void the_probe_passes_while_the_server_takes_writes_and_names_a_lock_held_too_long() throws Exception {
        String url = PostgresFixture.freshUrl();
        try (Database db = Database.open(url)) {
            assertThatCode(() -> db.probeWrite(Duration.ofMillis(500))).doesNotThrowAnyException();

            // another session holds the health row's lock (a stuck transaction): the probe gives up in time, saying so
            try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
                other.setAutoCommit(false);
                s.execute("UPDATE health SET probed_by = 'stuck' WHERE id = 1");
                assertThatThrownBy(() -> db.probeWrite(Duration.ofMillis(300)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("held the health row's lock for over 300 ms");
                other.rollback();
            }
            assertThatCode(() -> db.probeWrite(Duration.ofMillis(500))).doesNotThrowAnyException();
        }
    }
}
