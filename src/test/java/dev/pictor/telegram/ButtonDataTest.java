package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ButtonDataTest {
    final String job = UUID.randomUUID().toString();

    @Test
    void everyButtonOfAUuidJob_fitsTelegramsSixtyFourBytes_andReadsBack() {
        for (ButtonData.Action a : ButtonData.Action.values()) {
            var data = new ButtonData(a, job, a == ButtonData.Action.DELETE ? List.of(2_000_000_001, 2_000_000_002, 2_000_000_003, 2_000_000_004) : List.of());
            String encoded = data.encode();
            assertThat(encoded.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            assertThat(ButtonData.parse(encoded)).isEqualTo(data);
        }
    }

    @Test
    void scatteredAlbumIds_areListed_orLeftOutWhenTheyDoNotFit() {
        var few = new ButtonData(ButtonData.Action.DELETE, "j1", List.of(10, 12, 15));
        assertThat(few.encode()).isEqualTo("x:j1:10,12,15");
        assertThat(ButtonData.parse(few.encode()).alsoDelete()).containsExactly(10, 12, 15);

        var many = new ButtonData(ButtonData.Action.DELETE, job, List.of(1_000_000_001, 1_000_000_005, 1_000_000_009));
        assertThat(many.encode()).isEqualTo("x:" + job);
    }

    @Test
    void aJobIdTooLongForAButton_givesNoData() {
        assertThat(ButtonData.of(ButtonData.Action.REROLL, "j".repeat(63)).encode()).isNull();
    }

    @Test
    void foreignOrBrokenData_isNotOurs() {
        assertThat(ButtonData.parse(null)).isNull();
        assertThat(ButtonData.parse("")).isNull();
        assertThat(ButtonData.parse("q:job")).isNull();
        assertThat(ButtonData.parse("r:")).isNull();
        assertThat(ButtonData.parse("like")).isNull();
    }
}
