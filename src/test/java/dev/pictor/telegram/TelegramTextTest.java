package dev.pictor.telegram;

import dev.pictor.core.Platform;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TelegramTextTest {
    static final ModelSpec MODEL = new ModelSpec("imagen-4", null,
            new ModelCapabilities(List.of("1:1"), 4, true, 5000, true), List.of(new Route("fake", "m")));

    static ImagineRequest request(String prompt) {
        return new ImagineRequest(Requester.of(Platform.TELEGRAM, "1"), prompt, MODEL, "1:1", 1, null, true);
    }

    @Test
    void aLongPrompt_isCutSoTheCaptionFits1024_andStillEndsWithModelAndSeed() {
        String caption = TelegramText.caption(Locale.ENGLISH, request("fox ".repeat(400)), 4_294_967_295L);
        assertThat(caption.length()).isLessThanOrEqualTo(1024);
        assertThat(caption).endsWith("\n\nimagen-4 · seed 4294967295").contains("…");
    }

    @Test
    void cutting_neverSplitsAnEmoji() {
        String prompt = "🦊".repeat(600); // 1,200 UTF-16 units
        String caption = TelegramText.caption(Locale.ENGLISH, request(prompt), 1L);
        assertThat(caption.length()).isLessThanOrEqualTo(1024);
        String kept = caption.substring(0, caption.indexOf('…'));
        assertThat(kept.codePoints()).allMatch(cp -> cp == "🦊".codePointAt(0));
    }

    @Test
    void aShortPrompt_isKeptWhole() {
        assertThat(TelegramText.caption(Locale.ENGLISH, request("a fox"), null)).isEqualTo("a fox\n\nimagen-4");
    }

    @Test
    void givenTheParsersFlags_whenHelpIsRendered_thenEveryFlagTheParserListsIsThereWithItsCatalogDescription() {
        var catalog = new dev.pictor.core.ModelCatalog(List.of(MODEL), "imagen-4");

        String help = TelegramText.help(Locale.ENGLISH, catalog, "pictor_bot");

        assertThat(help).startsWith("/imagine <prompt>");
        for (var line : dev.pictor.core.text.FlagHelp.lines(Locale.ENGLISH, catalog)) {
            assertThat(help).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(line.flag().usage()) + " +"
                    + java.util.regex.Pattern.quote(line.description()) + "$");
        }
        assertThat(help).contains("--n N", "how many images (1–4)", "one of: imagen-4 (default)", "/imagine@pictor_bot")
                .doesNotContain("--enhance ");
    }

    @Test
    void givenARefusalThatSaysWhenToTryAgain_whenRendered_thenTheMemberReadsTheWait_andNoneWithout() {
        var text = dev.pictor.core.text.Text.of(dev.pictor.core.text.Msg.JOB_PROVIDER_DOWN_BRIEF, "model", "imagen-4",
                "charge", dev.pictor.core.text.Text.of(dev.pictor.core.text.Msg.CHARGE_NONE));
        var soon = new dev.pictor.core.Refusal(dev.pictor.core.Refusal.Reason.PROVIDER_DOWN, text, java.time.Duration.ofSeconds(90));
        var unknown = new dev.pictor.core.Refusal(dev.pictor.core.Refusal.Reason.PROVIDER_DOWN, text, null);

        assertThat(TelegramText.refusal(Locale.ENGLISH, soon)).endsWith("Nothing was charged. Try again in 1 min 30 s.");
        assertThat(TelegramText.refusal(Locale.forLanguageTag("pt-BR"), soon)).endsWith("Tente de novo em 1 min 30 s.");
        assertThat(TelegramText.refusal(Locale.ENGLISH, unknown)).endsWith("Nothing was charged.").doesNotContain("Try again");
    }
}
