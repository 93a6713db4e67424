package dev.pictor.cli;

import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor quota spendcap COMMUNITY CAP}: a community's daily spend cap from the terminal, on the shipped config. */
class SpendCapCommandTest {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
    }

    private CliRun quota(String... args) {
        var all = new ArrayList<>(List.of("quota"));
        all.addAll(List.of(args));
        return CliRun.of(env(), all.toArray(String[]::new));
    }

    @Test
    void a_cap_set_from_the_terminal_stops_a_bot_on_the_same_database_and_is_audited() {
        // when an operator caps a Telegram group at 0.10 a day
        var run = quota("spendcap", "telegram:-1001", "0.10", "--as", "telegram:42");

        // then they are told so, in the configured currency
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("This group telegram:-1001 now has a daily spend cap of 0.10 USD.\n");

        // and a bot using the same database refuses a job of 0.12 in that group, but not elsewhere
        try (Database db = Database.open(env().get("PICTOR_STORAGE_URL"))) {
            var bot = new SpendCaps(db, new SpendSettings("USD", new SpendSettings.Caps(null, new BigDecimal("5"), null),
                    Map.of(), ZoneId.of("UTC")), Clock.systemUTC(), SpendCaps.Warnings.NONE);
            var inGroup = new Requester(Platform.TELEGRAM, "7", "7", "-1001", "telegram", null);
            var elsewhere = new Requester(Platform.TELEGRAM, "7", "7", "-1002", "telegram", null);
            assertThat(bot.reserve("j1", inGroup, 0.12)).isPresent();
            assertThat(bot.reserve("j2", elsewhere, 0.12)).isEmpty();
        }
    }

    @Test
    void off_and_default_answer_in_a_sentence_and_a_bad_amount_is_refused() {
        assertThat(quota("spendcap", "discord:123456789012345678", "off").out())
                .isEqualTo("This server discord:123456789012345678 has no daily spend cap now.\n");
        assertThat(quota("spendcap", "discord:123456789012345678", "default").out())
                .isEqualTo("This server discord:123456789012345678 is back on its bot's default daily spend cap.\n");

        var bad = quota("spendcap", "discord:123456789012345678", "lots");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(bad.err()).contains("Spend cap \"lots\" is not an amount");

        var noCommunity = quota("spendcap", "discord", "5");
        assertThat(noCommunity.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
