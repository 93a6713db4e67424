package dev.pictor.core.text;

import dev.pictor.core.Platform;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.QuotaSpent;
import dev.pictor.core.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another language is only a file: the test-only {@code messages_xx.properties} (two keys) is picked up for members
 * whose locale is {@code xx}, and every key it lacks is read in English — no call site changes.
 */
class SecondLanguageTest {
    private static final Locale XX = Locale.of("xx");
    private static final Locale XX_REGION = Locale.of("xx", "YY");

    private static Refusal dailyLimitSpent() {
        return new QuotaSpent(QuotaSpent.Holder.MEMBER, Platform.DISCORD, LimitSpec.parse("25/1d"), 0, 1,
                Duration.ofMinutes(192)).refusal();
    }

    @Test
    void givenAMemberWhoseLanguageHasAFile_whenTheirDailyLimitIsSpent_thenTheRefusalIsInTheirLanguage_andWhatItLacksInEnglish() {
        String said = dailyLimitSpent().message(XX);

        // the sentence and the hours come from messages_xx; "today" and "min" are not in it, so they are English
        assertThat(said).isEqualTo("XX 25 xximages xxused today; xxback 3 xh 12 min.");
    }

    @Test
    void givenARegionOfThatLanguage_thenTheLanguageFileServes() {
        assertThat(dailyLimitSpent().message(XX_REGION)).isEqualTo(dailyLimitSpent().message(XX));
    }

    @Test
    void givenAKeyTheLanguageLacks_thenThatSentenceIsEnglish() {
        Refusal blocked = Refusal.blocked();

        assertThat(blocked.message(XX)).isEqualTo(blocked.message(Locale.ENGLISH))
                .startsWith("An admin has paused your image requests here.");
    }

    @Test
    void givenALanguageWithNoFileAtAll_thenEverythingIsEnglish() {
        assertThat(dailyLimitSpent().message(Locale.of("zz")))
                .isEqualTo("You have used your 25 images for today; the next one comes back in 3 h 12 min.");
    }
}
