package dev.pictor.cli;

import dev.pictor.telegram.fake.FakeTelegram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor run} with the shipped configuration, the Telegram profile pointed at a fake Bot API. */
class RunTelegramTest {
    @TempDir
    Path dir;
    FakeTelegram telegram;

    @BeforeEach
    void fake() throws Exception {
        telegram = new FakeTelegram();
    }

    @AfterEach
    void close() {
        assertThat(telegram.violations()).isEmpty();
        telegram.close();
    }

    Map<String, String> env(String token) {
        var env = new HashMap<String, String>();
        env.put("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
        env.put("PICTOR_HTTP_PORT", "0");
        env.put("TELEGRAM_API_URL", telegram.url().toString());
        if (token != null) env.put("TELEGRAM_TOKEN", token);
        return env;
    }

    @Test
    void aTelegramProfileWithItsTokenSet_starts_registersItsCommands_andStopsCleanly() {
        // when run starts with the shipped files and TELEGRAM_TOKEN set
        var run = CliRun.of(env(FakeTelegram.TOKEN), "run", "--stop-after-start");
        // then the bot is started, the commands are registered, and it stops in order
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("started telegram bot telegram (@" + FakeTelegram.BOT_USERNAME + ")")
                .contains("pictor run: stopped.").doesNotContain(FakeTelegram.TOKEN);
        assertThat(telegram.calls("setMyCommands")).hasSize(1);
    }

    @Test
    void aTokenTelegramRefuses_stopsTheRun_namingTheVariable_neverTheToken() {
        String wrong = "123456:refused-by-telegram-token";
        var run = CliRun.of(env(wrong), "run", "--stop-after-start");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.err()).contains("bot telegram.yaml: Telegram refused the token; check TELEGRAM_TOKEN")
                .doesNotContain(wrong);
    }

    @Test
    void withNoTokenSet_nothingIsStarted_andRunSaysSo() {
        var run = CliRun.of(env(null), "run");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(run.err()).contains("nothing was started");
    }
}
