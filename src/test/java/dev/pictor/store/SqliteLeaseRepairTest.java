package dev.pictor.store;

/** Leases and repair across processes sharing an SQLite file (processes on one host). */
class SqliteLeaseRepairTest extends LeaseRepairContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
