package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;

/** The Telegram update inbox on PostgreSQL. */
class PostgresUpdateInboxTest extends UpdateInboxContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
