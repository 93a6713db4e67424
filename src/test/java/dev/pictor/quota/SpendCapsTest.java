package dev.pictor.quota;

/** Daily spend caps on an SQLite file. */
class SpendCapsTest extends SpendCapsContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
