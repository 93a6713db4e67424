package dev.pictor.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a database error may say about where the database is: never a password. */
class DatabaseUrlTest {
    @Test
    void a_postgresql_url_is_shown_without_its_query_nor_a_login_before_the_host() {
        assertThat(Database.redact("jdbc:postgresql://db:5432/pictor?user=pictor&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/pictor");
        assertThat(Database.redact("jdbc:postgresql://pictor:s3cret@db/pictor")).isEqualTo("jdbc:postgresql://db/pictor");
        assertThat(Database.redact("jdbc:sqlite:data/pictor.db")).isEqualTo("jdbc:sqlite:data/pictor.db");
    }

    @Test
    void a_url_of_another_engine_is_refused_without_repeating_its_password() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://pictor:s3cret@db/pictor"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:sqlite: or jdbc:postgresql:")
                .message().doesNotContain("s3cret");
    }
}
