package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelegramBotSettingsTest {
    static final String TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ";

    @Test
    void fromConfiguration_defaultsToTelegramsApi_andReadsAdminIds() {
        var s = TelegramBotSettings.of("main", TOKEN, null, List.of("42", " 7 "));
        assertThat(s.apiUrl()).isEqualTo(URI.create("https://api.telegram.org"));
        assertThat(s.admins()).containsExactlyInAnyOrder(42L, 7L);
        assertThat(s.isAdmin(42)).isTrue();
        assertThat(s.limits()).isEqualTo(TelegramBotSettings.SendLimits.TELEGRAM);
    }

    @Test
    void aProfilesMistakes_areTheConfigurationsToName_neverTheToken() {
        // the checks live once, in the bot profile; the adapter's view is only ever built from a valid one
        assertThatThrownBy(() -> TelegramBotSettings.of("main", TOKEN, null, List.of("@ada")))
                .hasMessageContaining("admins").hasMessageContaining("@ada").message().doesNotContain(TOKEN);
        assertThatThrownBy(() -> TelegramBotSettings.of("main", TOKEN, "ftp://example.org", null))
                .hasMessageContaining("api-url").message().doesNotContain(TOKEN);
        assertThatThrownBy(() -> TelegramBotSettings.of("main", TOKEN, "http://127.0.0.1:8081/custom", null))
                .hasMessageContaining("no path");
    }

    @Test
    void printing_hidesTheToken() {
        assertThat(TelegramBotSettings.of("main", TOKEN, "http://127.0.0.1:8081", null).toString())
                .doesNotContain(TOKEN).contains("token=***").contains("127.0.0.1:8081");
    }
}
