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
}
