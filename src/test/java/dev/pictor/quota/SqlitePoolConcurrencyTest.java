package dev.pictor.quota;

/** The community pool under concurrent charges from two processes on one SQLite file. */
class SqlitePoolConcurrencyTest extends PoolConcurrencyContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
