package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ButtonDataTest {
    final String job = UUID.randomUUID().toString();

    @Test
    void everyButtonOfAUuidJob_fitsTelegramsSixtyFourBytes_andReadsBack() {
        for (ButtonData.Action a : ButtonData.Action.values()) {
            var data = new ButtonData(a, job);
            String encoded = data.encode();
            assertThat(encoded.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            assertThat(ButtonData.parse(encoded)).isEqualTo(data);
        }
    }

    @Test
    void deleteData_carriesNoMessageIds_aForgedRangeIsJustAnUnknownJobId() {
        // the old form "x:<job>:<first>.<count>" named messages to delete; now only the ledger names them
        assertThat(new ButtonData(ButtonData.Action.DELETE, "j1").encode()).isEqualTo("x:j1");
        assertThat(ButtonData.parse("x:j1:1.99")).isEqualTo(new ButtonData(ButtonData.Action.DELETE, "j1:1.99"));
    }

    @Test
    void aJobIdTooLongForAButton_givesNoData() {
        assertThat(new ButtonData(ButtonData.Action.REROLL, "j".repeat(63)).encode()).isNull();
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
