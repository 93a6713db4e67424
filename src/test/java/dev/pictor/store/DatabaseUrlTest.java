package dev.pictor.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a database error may say about where the database is: never a password. */
class DatabaseUrlTest {
    @Test
    void a_url_of_another_engine_is_refused_without_repeating_its_password() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://pictor:s3cret@db/pictor"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:sqlite: or jdbc:postgresql:")
                .message().doesNotContain("s3cret");
    }
}
