package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.Image;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Requester;
import dev.pictor.core.port.Generated;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class DiscordTextTest {
    private static final Requester ALICE = new Requester(Platform.DISCORD, "42", "Alice", "7", "bot", null);

    private static Generated generated(String prompt, int asked, int got, Long seed) {
        var request = new ImagineRequest(ALICE, prompt, DiscordRig.IMAGEN, "16:9", asked, seed, true);
        var images = java.util.Collections.nCopies(got, Image.of(TestImages.png(4, 4)).orElseThrow());
        return new Generated("job-1", request, List.copyOf(images), seed, null, "aiml", Duration.ofSeconds(3));
    }

    @Test
    void givenTheLongestPromptDiscordAllows_whenCaptioned_thenTheCaptionStaysWithin2000Characters() {
        String prompt = "*bold* _under_ ".repeat(400); // 6,000 characters of markdown

        String caption = DiscordText.caption(Locale.ENGLISH, generated(prompt, 4, 4, 42L), 4, 0);

        assertThat(caption.length()).isLessThanOrEqualTo(2000);
        assertThat(caption).contains("seed 42", "<@42>", "Imagen 4", "…");
        assertThat(caption).doesNotContain("*bold*"); // markdown of the prompt is escaped
    }

    @Test
    void givenImagesLeftOutBecauseTheyWereTooLarge_whenCaptioned_thenTheCaptionSaysSoAndThatTheyCostNothing() {
        String caption = DiscordText.caption(Locale.ENGLISH, generated("a fox", 3, 3, null), 2, 1);

        assertThat(caption).contains("1 image of 3 could not be shown (too large for Discord); you were not charged for it.");
        assertThat(caption).doesNotContain("seed");
    }

    @Test
    void givenTheParsersFlags_whenHelpIsRendered_thenEveryFlagTheParserListsIsThere_asTheUnknownOptionRefusalNamesThem() {
        var catalog = new dev.pictor.core.ModelCatalog(List.of(DiscordRig.IMAGEN), "imagen-4");

        String help = DiscordText.help(Locale.ENGLISH, catalog);
        String refusal = new dev.pictor.core.OptionParser().parse("a fox --colour red") instanceof
                dev.pictor.core.Checked.Refused<?> r ? r.refusal().message(Locale.ENGLISH) : "";

        for (var flag : dev.pictor.core.OptionParser.Flag.listed()) {
            assertThat(help).contains("• `" + flag.usage() + "` ");
            assertThat(refusal).contains(flag.usage());
        }
        assertThat(help).contains("**/imagine**", "**/quota**", "🎲 **Re-roll**", "`imagen-4` (Imagen 4)")
                .hasSizeLessThanOrEqualTo(DiscordText.MAX_CONTENT);
    }

    @Test
    void givenARefusalThatSaysWhenToTryAgain_whenRendered_thenTheMemberReadsTheWait_andNoneWithout() {
        var text = dev.pictor.core.text.Text.of(dev.pictor.core.text.Msg.JOB_PROVIDER_DOWN_BRIEF, "model", "imagen-4",
                "charge", dev.pictor.core.text.Text.of(dev.pictor.core.text.Msg.CHARGE_NONE));
        var soon = new dev.pictor.core.Refusal(dev.pictor.core.Refusal.Reason.PROVIDER_DOWN, text, Duration.ofMinutes(5));
        var unknown = new dev.pictor.core.Refusal(dev.pictor.core.Refusal.Reason.PROVIDER_DOWN, text, null);

        assertThat(DiscordText.refusal(Locale.ENGLISH, soon)).endsWith("Nothing was charged. Try again in 5 min.");
        assertThat(DiscordText.refusal(Locale.forLanguageTag("es"), soon)).endsWith("Vuelve a intentarlo en 5 min.");
        assertThat(DiscordText.refusal(Locale.ENGLISH, unknown)).endsWith("Nothing was charged.").doesNotContain("Try again");
    }
}
