package dev.pictor.core.text;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.Platform;
import dev.pictor.core.QuotaSpent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped languages read as their speakers write: waits with their units, plurals by their rules, their numbers. */
class TranslationsTest {
    private static String dailyLimitSpent(Locale language, int images, Duration wait) {
        return new QuotaSpent(QuotaSpent.Holder.MEMBER, Platform.DISCORD, LimitSpec.parse(images + "/1d"), 0, 1, wait)
                .refusal().message(language);
    }

    private static final Duration THREE_H_12 = Duration.ofMinutes(192);

    @Test
    void aQuotaWaitInEveryShippedLanguage() {
        assertThat(dailyLimitSpent(Languages.ENGLISH, 25, THREE_H_12))
                .isEqualTo("You have used your 25 images for today; the next one comes back in 3 h 12 min.");
        assertThat(dailyLimitSpent(Languages.SPANISH, 25, THREE_H_12))
                .isEqualTo("Ya usaste tus 25 imágenes de hoy; la próxima vuelve en 3 h 12 min.");
        assertThat(dailyLimitSpent(Languages.GERMAN, 25, THREE_H_12))
                .isEqualTo("Du hast deine 25 Bilder für heute schon genutzt; das nächste gibt es wieder in 3 h 12 min.");
        assertThat(dailyLimitSpent(Languages.FRENCH, 25, THREE_H_12))
                .isEqualTo("Tu as utilisé tes 25 images pour aujourd’hui ; la prochaine revient dans 3 h 12 min.");
        assertThat(dailyLimitSpent(Languages.BRAZILIAN_PORTUGUESE, 25, THREE_H_12))
                .isEqualTo("Você já usou suas 25 imagens de hoje; a próxima volta em 3 h 12 min.");
        assertThat(dailyLimitSpent(Languages.RUSSIAN, 25, THREE_H_12))
                .isEqualTo("Вы уже использовали свои 25 изображений на сегодня; следующее вернётся через 3 часа 12 минут.");
        assertThat(dailyLimitSpent(Languages.JAPANESE, 25, THREE_H_12))
                .isEqualTo("今日の25枚を使い切りました。次の1枚は3時間12分後に戻ります。");
    }

    @Test
    void russianPluralsOfImagesAndHours_one_few_many() {
        assertThat(dailyLimitSpent(Languages.RUSSIAN, 1, Duration.ofHours(1)))
                .isEqualTo("Вы уже использовали своё 1 изображение на сегодня; следующее вернётся через 1 час.");
        assertThat(dailyLimitSpent(Languages.RUSSIAN, 2, Duration.ofHours(2)))
                .isEqualTo("Вы уже использовали свои 2 изображения на сегодня; следующее вернётся через 2 часа.");
        assertThat(dailyLimitSpent(Languages.RUSSIAN, 5, Duration.ofHours(5)))
                .isEqualTo("Вы уже использовали свои 5 изображений на сегодня; следующее вернётся через 5 часов.");
        assertThat(dailyLimitSpent(Languages.RUSSIAN, 21, Duration.ofHours(21)))
                .isEqualTo("Вы уже использовали своё 21 изображение на сегодня; следующее вернётся через 21 час.");
        assertThat(Messages.render(Languages.RUSSIAN, Msg.TELEGRAM_IMAGES, "count", 22)).isEqualTo("22 изображения");
        assertThat(Messages.duration(Languages.RUSSIAN, Duration.ofMinutes(21))).isEqualTo("21 минуту");
    }

    @Test
    void japaneseHasNoPlural_andWritesUnitsWithoutSpaces() {
        assertThat(Messages.render(Languages.JAPANESE, Msg.TELEGRAM_IMAGES, "count", 1)).isEqualTo("1枚");
        assertThat(Messages.render(Languages.JAPANESE, Msg.TELEGRAM_IMAGES, "count", 4)).isEqualTo("4枚");
        assertThat(Messages.duration(Languages.JAPANESE, Duration.ofSeconds(200))).isEqualTo("3分20秒");
    }

    @Test
    void numbersInTheMembersFormat() {
        assertThat(Messages.render(Languages.ENGLISH, Msg.DETAILS_SECONDS, "seconds", 12.34)).isEqualTo("12.3 s");
        assertThat(Messages.render(Languages.GERMAN, Msg.DETAILS_SECONDS, "seconds", 12.34)).isEqualTo("12,3 s");
        assertThat(Messages.render(Languages.FRENCH, Msg.DETAILS_SECONDS, "seconds", 12.34)).isEqualTo("12,3 s");
        assertThat(Messages.render(Languages.RUSSIAN, Msg.DETAILS_SECONDS, "seconds", 12.34)).isEqualTo("12,3 с");
        assertThat(Messages.render(Languages.JAPANESE, Msg.DETAILS_SECONDS, "seconds", 12.34)).isEqualTo("12.3秒");
    }

    @Test
    void aPromptIsAnArgument_neverTranslated() {
        String prompt = "a red fox in fresh snow, 'quoted' {braces}";
        assertThat(Messages.render(Languages.GERMAN, Msg.RESTART_NOTICE, "prompt", prompt, "outcome", "x"))
                .contains("„" + prompt + "“");
    }
}
