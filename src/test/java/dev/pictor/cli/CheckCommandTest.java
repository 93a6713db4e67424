package dev.pictor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCommandTest {
    static final Map<String, String> SECRETS = Map.of(
            "AIMLAPI_KEY", "sk-aiml-0123456789abcdef",
            "LUMENFALL_API_KEY", "lf-live-9876543210",
            "DISCORD_TOKEN", "MTIzNDU2Nzg5.discord-secret-token",
            "TELEGRAM_TOKEN", "123456789:telegram-secret-token");

    @Test
    void shipped_examples_pass_check_with_no_environment_and_say_what_is_off() {
        // given the files shipped in config/ and bots/, and no environment variable set
        // when
        var run = CliRun.of(Map.of(), "check", "--config", "config/pictor.yaml", "--bots", "bots");
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("providers (0 of 3 enabled)")
                .contains("api-key not set (AIMLAPI_KEY) → disabled")
                .contains("api-key not set (THETURBO_API_KEY) → disabled")
                .contains("api-key not set (LUMENFALL_API_KEY) → disabled")
                .contains("token not set (DISCORD_TOKEN) → skipped")
                .contains("token not set (TELEGRAM_TOKEN) → skipped")
                .contains("gemini-2.5-flash-image")
                .contains("run would start: no bots; no providers (0 of 3 enabled).");
    }

    @Test
    void a_telegram_profile_in_webhook_mode_shows_its_url_and_path_and_whether_the_secret_is_set_never_the_secret() {
        var env = new java.util.HashMap<>(SECRETS);
        env.put("TELEGRAM_MODE", "webhook");
        env.put("TELEGRAM_WEBHOOK_URL", "https://bots.example.org/telegram/telegram");
        env.put("TELEGRAM_WEBHOOK_SECRET", "check-Webhook_secret-77");
        var run = CliRun.of(env, "check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("webhook https://bots.example.org/telegram/telegram → path /telegram/telegram, "
                + "secret set (TELEGRAM_WEBHOOK_SECRET)");
        assertThat(run.out() + run.err()).doesNotContain("check-Webhook_secret-77");
    }

    @Test
    void check_shows_the_price_of_each_route_in_the_configured_currency_and_the_breaker() {
        // given the shipped configuration: theturbo's imagen-3 route priced 0.03, lumenfall at 0.03 per image
        var run = CliRun.of(Map.of(), "check", "--config", "config/pictor.yaml", "--bots", "bots");
        // then each route says what one image costs there, or that pictor does not know
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("models (default: imagen-4; prices in USD per image)")
                .contains("1. aimlapi imagen-3.0-generate-002  price unknown  (provider disabled)")
                .contains("2. theturbo imagen-3.0-generate-002  0.03 USD  (provider disabled)")
                .contains("3. lumenfall imagen-3.0-generate-002  0.03 USD  (provider disabled)")
                .contains("price-per-image 0.03)")
                .contains("route breaker: open at 50% of the last 10 calls (at least 3) or after 2 failing jobs in a row, cool-off 30s");
    }

    @Test
    void check_uses_the_default_paths() {
        var run = CliRun.of(Map.of(), "check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("configuration config/pictor.yaml and bot profiles in bots: OK");
    }

    @Test
    void with_keys_and_tokens_set_check_says_set_and_never_prints_them() {
        // when
        var run = CliRun.of(SECRETS, "check");
        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("api-key set (AIMLAPI_KEY) → enabled")
                .contains("api-key set (LUMENFALL_API_KEY) → enabled")
                .contains("api-key not set (THETURBO_API_KEY) → disabled")
                .contains("token set (DISCORD_TOKEN) → would start")
                .contains("run would start: bots discord, telegram; providers aimlapi, lumenfall (2 of 3 enabled).");
        for (String secret : SECRETS.values()) {
            assertThat(run.out() + run.err()).doesNotContain(secret);
        }
    }

    @Test
    void mistakes_go_to_stderr_with_file_and_key_and_a_non_zero_exit(@TempDir Path dir) throws Exception {
        // given a configuration whose route names a provider that does not exist, and whose key is set
        String yaml = Files.readString(Path.of("config/pictor.yaml"))
                .replace("{provider: lumenfall, model: imagen-3.0-generate-002}", "{provider: lumenfal, model: imagen-3.0-generate-002}");
        Path config = Files.writeString(dir.resolve("pictor.yaml"), yaml);
        // when
        var run = CliRun.of(SECRETS, "check", "--config", config.toString(), "--bots", "bots");
        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(config + ": models.imagen-3.routes[2].provider: unknown provider \"lumenfal\" (known: aimlapi, theturbo, lumenfall)")
                .contains("1 mistake in the configuration.");
        for (String secret : SECRETS.values()) assertThat(run.err()).doesNotContain(secret);
    }

    @Test
    void no_arguments_prints_usage_and_fails() {
        var run = CliRun.of(Map.of());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Usage: pictor").contains("check").contains("run");
    }

    @Test
    void check_warns_about_a_placeholder_token_without_printing_it_and_still_passes() {
        var run = CliRun.of(Map.of("TELEGRAM_TOKEN", "paste-token-here"), "check");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("warning: bots/telegram.yaml: token: does not look like a Telegram bot token")
                .doesNotContain("paste-token-here");
    }
}
