package dev.pictor.quota;

import dev.pictor.testing.PostgresFixture;

/** Provider rates on PostgreSQL shared by two processes (the bucket's row locked FOR UPDATE while a turn is taken). */
class PostgresProviderRateTest extends ProviderRateContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
