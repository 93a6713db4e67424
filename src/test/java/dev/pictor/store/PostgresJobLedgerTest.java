package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;

/** The job ledger and its crash repair on PostgreSQL (a fresh schema per test). */
class PostgresJobLedgerTest extends JobLedgerContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
