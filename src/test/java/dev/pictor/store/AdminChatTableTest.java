package dev.pictor.store;

import dev.pictor.testing.MutableClock;
import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code admin_chats} (V11) on both engines: one row per scope, the last successful admin command's chat wins. */
class AdminChatTableTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-12-02T00:00:00Z");

    void contract(String url) {
        try (Database db = Database.open(url)) {
            var chats = new AdminChatTable(db, clock);
            assertThat(chats.find("telegram:-100")).isEmpty();

            chats.record("telegram:-100", "tg", "-100");
            clock.advance(Duration.ofSeconds(5));
            chats.record("bot:telegram:tg", "tg", "900");
            clock.advance(Duration.ofSeconds(5));
            chats.record("discord:g1", "dc", "c-general");
            chats.record("discord:g1", "dc2", "c-admins"); // the same server, later: replaces it

            assertThat(chats.find("telegram:-100")).hasValueSatisfying(p -> {
                assertThat(p.chat()).isEqualTo("-100");
                assertThat(p.at()).isEqualTo(java.time.Instant.parse("2026-12-02T00:00:00Z"));
            });
            assertThat(chats.find("bot:telegram:tg")).get().extracting(p -> p.chat()).isEqualTo("900");
            assertThat(chats.find("discord:g1")).get().satisfies(p -> {
                assertThat(p.profile()).isEqualTo("dc2");
                assertThat(p.chat()).isEqualTo("c-admins");
            });
        }
    }

    @Test
    void onSqlite() {
        contract("jdbc:sqlite:" + dir.resolve("pictor.db"));
    }

    @Test
    void onPostgresql() {
        contract(PostgresFixture.freshUrl());
    }
}
