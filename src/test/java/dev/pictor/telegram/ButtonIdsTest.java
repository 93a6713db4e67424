package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ButtonIdsTest {
    final String job = UUID.randomUUID().toString();

    @Test
    void everyButtonOfAUuidJob_fitsTelegramsSixtyFourBytes_andReadsBack() {
        for (ButtonIds.Action a : ButtonIds.Action.values()) {
            var data = new ButtonIds(a, job);
            String encoded = data.encode();
            assertThat(encoded.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            assertThat(ButtonIds.parse(encoded)).isEqualTo(data);
        }
    }

    @Test
    void deleteData_carriesNoMessageIds_aForgedRangeIsJustAnUnknownJobId() {
        // the old form "x:<job>:<first>.<count>" named messages to delete; now only the ledger names them
        assertThat(new ButtonIds(ButtonIds.Action.DELETE, "j1").encode()).isEqualTo("x:j1");
        assertThat(ButtonIds.parse("x:j1:1.99")).isEqualTo(new ButtonIds(ButtonIds.Action.DELETE, "j1:1.99"));
    }

    @Test
    void aJobIdTooLongForAButton_givesNoData() {
        assertThat(new ButtonIds(ButtonIds.Action.REROLL, "j".repeat(63)).encode()).isNull();
    }

    @Test
    void foreignOrBrokenData_isNotOurs() {
        assertThat(ButtonIds.parse(null)).isNull();
        assertThat(ButtonIds.parse("")).isNull();
        assertThat(ButtonIds.parse("q:job")).isNull();
        assertThat(ButtonIds.parse("r:")).isNull();
        assertThat(ButtonIds.parse("like")).isNull();
    }
}
