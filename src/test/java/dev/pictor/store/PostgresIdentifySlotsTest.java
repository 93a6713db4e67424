package dev.pictor.store;

import dev.pictor.testing.PostgresFixture;

/** IDENTIFY slots on PostgreSQL shared by two processes. */
class PostgresIdentifySlotsTest extends IdentifySlotsContract {
    private String url;

    @Override
    String url() {
        if (url == null) url = PostgresFixture.freshUrl();
        return url;
    }
}
