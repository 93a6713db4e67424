package dev.pictor.store;

/** The Telegram update inbox on an SQLite file. */
class SqliteUpdateInboxTest extends UpdateInboxContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
