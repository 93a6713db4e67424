package dev.pictor.quota;

import dev.pictor.testing.PostgresFixture;

/** Quotas on PostgreSQL (the same buckets, rows locked with FOR UPDATE). */
class PostgresBucketQuotaTest extends BucketQuotaContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
