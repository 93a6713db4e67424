package dev.pictor.core.chat;

import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.core.text.Languages;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the language a member is answered in is chosen: theirs, their community's, their bot's, English. */
class LanguageChoiceTest {
    private static final Requester IN_SERVER = new Requester(Platform.DISCORD, "1", "ana", "900", "main", null);
    private static final Requester IN_OTHER_SERVER = new Requester(Platform.DISCORD, "1", "ana", "901", "main", null);
    private static final Requester IN_DM = new Requester(Platform.DISCORD, "1", "ana", null, "main", null);
    private static final Requester ON_ANOTHER_BOT = new Requester(Platform.DISCORD, "1", "ana", null, "other", null);

    /** Server 900's admins chose German; the bot profile "main" says French. */
    private final LanguageChoice choice = new LanguageChoice(Map.of("main", Languages.FRENCH),
            (platform, community) -> platform == Platform.DISCORD && community.equals("900") ? Optional.of(Languages.GERMAN) : Optional.empty());

    @Test
    void platformTagsReadAsTheShippedLanguage() {
        assertThat(Languages.supported("pt-BR")).contains(Languages.BRAZILIAN_PORTUGUESE);
        assertThat(Languages.supported("pt-br")).contains(Languages.BRAZILIAN_PORTUGUESE); // Telegram's spelling
        assertThat(Languages.supported("pt")).contains(Languages.BRAZILIAN_PORTUGUESE);
        assertThat(Languages.supported("pt_BR")).contains(Languages.BRAZILIAN_PORTUGUESE);
        assertThat(Languages.supported("es-419")).contains(Languages.SPANISH);
        assertThat(Languages.supported("es-ES")).contains(Languages.SPANISH);
        assertThat(Languages.supported("en-GB")).contains(Languages.ENGLISH);
        assertThat(Languages.supported("en-US")).contains(Languages.ENGLISH);
        assertThat(Languages.supported("ru")).contains(Languages.RUSSIAN);
        assertThat(Languages.supported("ja")).contains(Languages.JAPANESE);
        assertThat(Languages.supported("DE")).contains(Languages.GERMAN);
        assertThat(Languages.supported("fr-CA")).contains(Languages.FRENCH);
    }

    @Test
    void tagsOfLanguagesNotShipped_orNoLanguageAtAll_areNotSupported() {
        assertThat(Languages.supported("ko")).isEmpty();
        assertThat(Languages.supported("zh-TW")).isEmpty();
        assertThat(Languages.supported("")).isEmpty();
        assertThat(Languages.supported(null)).isEmpty();
        assertThat(Languages.supported("!!not a tag!!")).isEmpty();
        assertThat(Languages.supported("x".repeat(100))).isEmpty();
    }

    @Test
    void givenAMemberWhoseLanguageIsShipped_thenTheirsWins_overTheCommunityAndTheBot() {
        assertThat(choice.of("es-419", IN_SERVER)).isEqualTo(Languages.SPANISH);
        assertThat(choice.of("pt-BR", IN_DM)).isEqualTo(Languages.BRAZILIAN_PORTUGUESE);
    }

    @Test
    void givenAMemberWithAnUnsupportedLocale_thenTheCommunityDefault_thenTheBots_thenEnglish() {
        assertThat(choice.of("ko", IN_SERVER)).as("the server's admins chose German").isEqualTo(Languages.GERMAN);
        assertThat(choice.of("ko", IN_OTHER_SERVER)).as("no choice there: the bot profile's French").isEqualTo(Languages.FRENCH);
        assertThat(choice.of("ko", IN_DM)).as("a DM has no community: the bot's").isEqualTo(Languages.FRENCH);
        assertThat(choice.of("ko", ON_ANOTHER_BOT)).as("a bot without a language: English").isEqualTo(Locale.ENGLISH);
        assertThat(choice.of(null, ON_ANOTHER_BOT)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void givenTheStorageIsDown_thenTheBotsLanguageStillAnswers() {
        CommunityLanguages broken = (platform, community) -> {
            throw new IllegalStateException("database is locked");
        };
        var choice = new LanguageChoice(Map.of("main", Languages.JAPANESE), broken);

        assertThat(choice.of("ko", IN_SERVER)).isEqualTo(Languages.JAPANESE);
    }
}
