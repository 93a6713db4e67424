package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write whose connection breaks under it (the server ends the session: a restart, a failover, an admin) reports
 * the server's own error — what the retry and the operator need — not the failed clean-up of the dead connection.
 */
class PostgresBrokenConnectionTest {
    @Test
    void a_write_on_a_connection_the_server_ends_fails_with_the_servers_error_not_its_clean_up_error() {
        try (Database db = Database.open(PostgresFixture.freshUrl())) {
            assertThatThrownBy(() -> db.write(d -> {
                d.execute("UPDATE health SET probed_by = 'me' WHERE id = 1");
                d.execute("SELECT pg_terminate_backend(pg_backend_pid())"); // the server ends this very session
                return null;
            }))
                    .isInstanceOf(StoreException.class)
                    .cause()
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).as("the server's 'terminating connection' state").isEqualTo("57P01"));

            // and the pool has dropped the dead connection: the next write works
            Boolean next = db.write(d -> d.prepared("SELECT 1").executeQuery().next());
            assertThat(next).isTrue();
        }
    }
}
