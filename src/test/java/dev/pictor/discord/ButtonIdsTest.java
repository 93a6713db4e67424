package dev.pictor.discord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ButtonIdsTest {
    @Test
    void aButtonIdCarriesItsActionAndJobId_andReadsBack() {
        String id = ButtonIds.of(ButtonIds.Action.DETAILS, "6f9fce2b-d402-4f05-8133-0f5dad82d054");

        assertThat(id).isEqualTo("pictor:details:6f9fce2b-d402-4f05-8133-0f5dad82d054").hasSizeLessThanOrEqualTo(100);
        assertThat(ButtonIds.parse(id)).contains(new ButtonIds.Parsed(ButtonIds.Action.DETAILS, "6f9fce2b-d402-4f05-8133-0f5dad82d054"));
    }

    @Test
    void idsOfOtherBotsOrOldFormatsAreNotRead() {
        assertThat(ButtonIds.parse("other:reroll:1")).isEmpty();
        assertThat(ButtonIds.parse("pictor:upscale:1")).isEmpty();
        assertThat(ButtonIds.parse("pictor:reroll:")).isEmpty();
        assertThat(ButtonIds.parse(null)).isEmpty();
    }
}
