package dev.pictor.quota;

/** Quotas on an SQLite file. */
class BucketQuotaTest extends BucketQuotaContract {
    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("pictor.db");
    }
}
