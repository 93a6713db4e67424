package dev.pictor.quota;

/** Provider rates in one SQLite file shared by two processes on one host. */
class SqliteProviderRateTest extends ProviderRateContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
