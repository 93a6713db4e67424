package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;

/** Leases and repair across processes (each with its own pool) sharing a PostgreSQL database. */
class PostgresLeaseRepairTest extends LeaseRepairContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
