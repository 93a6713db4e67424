package dev.pictor.store;

/** IDENTIFY slots in one SQLite file shared by two processes on one host. */
class SqliteIdentifySlotsTest extends IdentifySlotsContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
