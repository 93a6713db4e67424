package dev.pictor.quota;

import dev.pictor.testing.PostgresFixture;

/** The community pool under concurrent charges from two processes (two connection pools) on PostgreSQL. */
class PostgresPoolConcurrencyTest extends PoolConcurrencyContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
