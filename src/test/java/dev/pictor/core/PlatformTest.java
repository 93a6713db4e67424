package dev.pictor.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformTest {
    @Test
    void each_platform_has_one_stored_word_made_once() {
        assertThat(Platform.DISCORD.id()).isEqualTo("discord").isSameAs(Platform.DISCORD.id());
        assertThat(Platform.of(" Telegram ")).isSameAs(Platform.TELEGRAM);
        assertThat(Platform.find("irc")).isEmpty();
    }
}
