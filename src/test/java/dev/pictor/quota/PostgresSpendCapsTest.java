package dev.pictor.quota;

import dev.pictor.testing.PostgresFixture;

/** Daily spend caps on PostgreSQL (the day's rows locked with FOR UPDATE). */
class PostgresSpendCapsTest extends SpendCapsContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
