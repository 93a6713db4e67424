package dev.pictor.telegram;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import dev.pictor.core.port.QuotaView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextsTest {
    static final ModelSpec MODEL = new ModelSpec("imagen-4", null,
            new ModelCapabilities(List.of("1:1"), 4, true, 5000, true), List.of(new Route("fake", "m")));

    static ImagineRequest request(String prompt) {
        return new ImagineRequest(Requester.of("telegram", "1"), prompt, MODEL, "1:1", 1, null, true);
    }

    @Test
    void aLongPrompt_isCutSoTheCaptionFits1024_andStillEndsWithModelAndSeed() {
        String caption = Texts.caption(request("fox ".repeat(400)), 4_294_967_295L);
        assertThat(caption.length()).isLessThanOrEqualTo(1024);
        assertThat(caption).endsWith("\n\nimagen-4 · seed 4294967295").contains("…");
    }

    @Test
    void cutting_neverSplitsAnEmoji() {
        String prompt = "🦊".repeat(600); // 1,200 UTF-16 units
        String caption = Texts.caption(request(prompt), 1L);
        assertThat(caption.length()).isLessThanOrEqualTo(1024);
        String kept = caption.substring(0, caption.indexOf('…'));
        assertThat(kept.codePoints()).allMatch(cp -> cp == "🦊".codePointAt(0));
    }

    @Test
    void aShortPrompt_isKeptWhole() {
        assertThat(Texts.caption(request("a fox"), null)).isEqualTo("a fox\n\nimagen-4");
    }

    @Test
    void quota_showsEachLimit_whenTheNextImageComes_andThePool() {
        var view = new QuotaView("basic", false, List.of(
                new QuotaView.Limit("3/1m", 3, 0, Duration.ofSeconds(20), Duration.ofSeconds(60)),
                new QuotaView.Limit("25/1d", 25, 22, Duration.ofMinutes(30), Duration.ofHours(3))),
                List.of(new QuotaView.Limit("100/1d", 100, 100, Duration.ZERO, Duration.ZERO)));
        assertThat(Texts.quota(view, true)).isEqualTo("""
                Your plan: basic
                • 3/1m: 0 of 3 left, next one in 20 s
                • 25/1d: 22 of 25 left, full again in 3 h
                This group's pool:
                • 100/1d: 100 of 100 left""");
    }

    @Test
    void aBlockedMember_readsThatAnAdminPausedThem() {
        assertThat(Texts.quota(new QuotaView("basic", true, List.of(), List.of()), false)).contains("An admin has paused");
    }
}
