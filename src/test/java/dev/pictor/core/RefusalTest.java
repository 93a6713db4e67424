package dev.pictor.core;

import dev.pictor.core.text.Msg;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed job's sentence says what it cost; when the charge could not be given back yet, it says that instead. */
class RefusalTest {
    @Test
    void givenAFailureWhoseChargeIsAnArgument_whenTheRefundMustWaitForRepair_thenTheSentenceSaysTheImagesComeBackLater() {
        Refusal stopped = Refusal.of(Refusal.Reason.INTERRUPTED, Msg.JOB_STOPPED, Refusal.CHARGE, Refusal.NOTHING_CHARGED);

        assertThat(stopped.message(Locale.ENGLISH))
                .isEqualTo("pictor stopped before your images were ready. Nothing was charged; please ask again.");
        assertThat(stopped.givenBackLater().message(Locale.ENGLISH)).isEqualTo("pictor stopped before your images were"
                + " ready. The images you were charged for will be given back automatically; please ask again.");
        assertThat(stopped.givenBackLater().reason()).isEqualTo(Refusal.Reason.INTERRUPTED);
    }

    @Test
    void givenAFailureThatDoesNotNameItsCharge_whenTheRefundMustWait_thenANoteAfterItSaysSo() {
        Refusal rejected = Refusal.of(Refusal.Reason.REQUEST_REJECTED, Msg.JOB_REJECTED);

        assertThat(rejected.givenBackLater().message(Locale.ENGLISH)).isEqualTo("The image service refused this request"
                + " as invalid. Try a different prompt or options. (The images you were charged for will be given back automatically.)");
    }

    @Test
    void givenARefusalThatKnowsWhenToTryAgain_thenTheMemberReadsItAfterTheSentence_inTheirLanguage() {
        var text = dev.pictor.core.text.Text.of(Msg.JOB_PROVIDER_DOWN_BRIEF, "model", "imagen-4", Refusal.CHARGE, Refusal.NOTHING_CHARGED);
        Refusal down = new Refusal(Refusal.Reason.PROVIDER_DOWN, text, java.time.Duration.ofSeconds(299));

        assertThat(down.message(Locale.ENGLISH)).isEqualTo("The image service for imagen-4 is not answering right now."
                + " Nothing was charged. Try again in 4 min 59 s.");
        assertThat(down.message(Locale.GERMAN)).endsWith("Versuch es in 4 min 59 s noch einmal.");
        assertThat(down.message(Locale.JAPANESE)).endsWith("。4分59秒後にもう一度お試しください。");
        assertThat(down.message(Locale.forLanguageTag("ru"))).endsWith("Попробуйте снова через 4 минуты 59 секунд.");
        // and after the charge could not be given back yet, it still says when
        assertThat(down.givenBackLater().message(Locale.ENGLISH)).endsWith("automatically. Try again in 4 min 59 s.");
    }

    @Test
    void givenNoRetryAfter_orASentenceThatNamesItsOwnWait_thenNoSecondWhenIsAdded() {
        Refusal rejected = Refusal.of(Refusal.Reason.REQUEST_REJECTED, Msg.JOB_REJECTED);
        assertThat(rejected.message(Locale.ENGLISH)).doesNotContain("Try again in");
        assertThat(rejected.fullText()).isSameAs(rejected.text());

        var capped = dev.pictor.core.text.Text.of(Msg.SPEND_CAP_MEMBER, "cap", new java.math.BigDecimal("1"), "currency", "USD",
                "wait", java.time.Duration.ofHours(3));
        Refusal spent = new Refusal(Refusal.Reason.QUOTA_SPENT, capped, java.time.Duration.ofHours(3));
        assertThat(spent.message(Locale.ENGLISH)).endsWith("It resets in 3 h.").doesNotContain("Try again in");
    }
}
