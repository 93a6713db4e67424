package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTest {
    @Test
    void aCommandWithTheBotsName_isForThisBotOnly() {
        Command c = Command.parse("/imagine@PictorBot a fox --n 2");
        assertThat(c).isEqualTo(new Command("imagine", "PictorBot", "a fox --n 2"));
        assertThat(c.isFor("pictorbot")).isTrue();
        assertThat(c.isFor("otherbot")).isFalse();
    }

    @Test
    void aPlainCommand_isForEveryBot() {
        Command c = Command.parse("/Quota");
        assertThat(c).isEqualTo(new Command("quota", null, ""));
        assertThat(c.isFor("pictorbot")).isTrue();
    }

    @Test
    void textThatIsNotACommand_isNone() {
        assertThat(Command.parse("a fox /imagine")).isNull();
        assertThat(Command.parse("/")).isNull();
        assertThat(Command.parse("/imagine-now")).isNull();
        assertThat(Command.parse(null)).isNull();
    }

    @Test
    void theArgumentsKeepTheirLines() {
        assertThat(Command.parse("/imagine\na fox\n--ar 16:9").args()).isEqualTo("a fox\n--ar 16:9");
    }
}
