package dev.pictor.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every kind of configuration mistake is refused with its file and its key path. */
class ConfigMistakesTest {
    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    private List<String> errorsOf(Path config) {
        return errorsOf(config, null, Map.of());
    }

    private List<String> errorsOf(Path config, Path bots, Map<String, String> env) {
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(env).load(config, bots));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private Path configWith(String from, String to) {
        assertThat(ConfigFiles.VALID).contains(from);
        return files.config(ConfigFiles.VALID.replace(from, to));
    }

    @Test
    void the_valid_fixture_loads() {
        var loaded = ConfigLoader.of(Map.of()).load(files.config(ConfigFiles.VALID));
        assertThat(loaded.config().models()).containsOnlyKeys("imagen-4");
    }

    @Test
    void unknown_key_names_file_and_path_and_lists_the_known_keys() {
        var config = configWith("max-images: 4", "max-images: 4\n    max-image: 2");
        assertThat(errorsOf(config)).containsExactly(config + ": models.imagen-4.max-image: unknown key (known: label, "
                + "aspect-ratios, max-images, seed, max-prompt-chars, enhance, routing, routes)");
    }

    @Test
    void http_bind_defaults_to_every_interface_and_takes_an_address_but_not_a_url() {
        assertThat(ConfigLoader.of(Map.of()).load(files.config(ConfigFiles.VALID)).config().http().bind()).isEqualTo("0.0.0.0");
        var local = files.config(ConfigFiles.VALID + "http: {port: 9090, bind: 127.0.0.1}\n");
        assertThat(ConfigLoader.of(Map.of()).load(local).config().http()).isEqualTo(new HttpConfig(9090, "127.0.0.1"));
        assertThat(new HttpConfig(0, "[::1]").host()).isEqualTo("::1");

        var url = files.config(ConfigFiles.VALID + "http: {bind: \"http://0.0.0.0\"}\n");
        assertThat(errorsOf(url)).singleElement().asString()
                .startsWith(url + ": http.bind: must be an address or host name to listen on");
    }

    @Test
    void unknown_top_level_key_is_refused() {
        var config = files.config(ConfigFiles.VALID + "colour: blue\n");
        assertThat(errorsOf(config)).singleElement().asString()
                .startsWith(config + ": colour: unknown key (known: storage, http, currency, providers, models, default-model");
    }

    @Test
    void missing_required_key_names_it() {
        var config = configWith("dialect: openai, base-url: \"https://gateway.theturbo.ai\", ", "dialect: openai, ");
        assertThat(errorsOf(config)).containsExactly(config + ": providers.theturbo.base-url: is required");
    }

    @Test
    void missing_required_section_names_it_with_an_example() {
        var config = files.config(ConfigFiles.VALID.substring(0, ConfigFiles.VALID.indexOf("quota:")));
        assertThat(errorsOf(config)).containsExactly(config + ": quota: is required, e.g. quota: {plans: {free: [\"3/1m\", \"25/1d\"]}, default-plan: free}");
    }

    @Test
    void missing_route_model_names_the_route_by_index() {
        var config = configWith("{provider: lumenfall, model: imagen-4.0-generate-001}", "{provider: lumenfall}");
        assertThat(errorsOf(config)).containsExactly(config + ": models.imagen-4.routes[1].model: is required");
    }

    @Test
    void bad_duration_is_refused_with_how_to_write_it() {
        var config = configWith("api-key: \"${AIMLAPI_KEY}\"}", "api-key: \"${AIMLAPI_KEY}\", timeout: 30 seconds}");
        assertThat(errorsOf(config)).containsExactly(config + ": providers.aimlapi.timeout: bad duration \"30 seconds\": "
                + "write a whole number and a unit ms, s, m, h or d, e.g. \"30s\"");
    }

    @Test
    void duration_without_unit_is_refused() {
        var config = files.config(ConfigFiles.VALID + "retry: {backoff: 500}\n");
        assertThat(errorsOf(config)).containsExactly(config + ": retry.backoff: a duration needs a unit: write \"500s\" (units ms, s, m, h, d)");
    }

    @Test
    void a_storage_url_of_neither_engine_is_refused_before_run_would_fail_on_it() {
        var config = files.config(ConfigFiles.VALID + "storage: {url: \"jdbc:mysql://db/pictor\"}\n");
        assertThat(errorsOf(config)).singleElement().asString()
                .startsWith(config + ": storage.url: must be an SQLite JDBC URL such as \"jdbc:sqlite:data/pictor.db\" or a PostgreSQL one");
    }

    @Test
    void shutdown_grace_over_ten_minutes_is_refused_naming_the_key() {
        var config = files.config(ConfigFiles.VALID + "shutdown: {grace: 1h}\n");
        assertThat(errorsOf(config)).containsExactly(config + ": shutdown.grace: must be at most 10m, not 1h");
    }

    @Test
    void shutdown_grace_without_unit_is_refused() {
        var config = files.config(ConfigFiles.VALID + "shutdown: {grace: 30}\n");
        assertThat(errorsOf(config)).containsExactly(config + ": shutdown.grace: a duration needs a unit: write \"30s\" (units ms, s, m, h, d)");
    }

    @Test
    void bad_limit_is_refused_with_its_index() {
        var config = configWith("free: [\"3/1m\", \"25/1d\"]", "free: [\"3/1m\", \"25/1w\"]");
        assertThat(errorsOf(config)).containsExactly(config + ": quota.plans.free[1]: \"25/1w\" is not a limit: "
                + "write images/period, e.g. \"3/1m\" or \"25/1d\" (units s, m, h, d)");
    }

    @Test
    void two_limits_with_the_same_period_are_refused() {
        var config = configWith("free: [\"3/1m\", \"25/1d\"]", "free: [\"3/1m\", \"25/1d\", \"30/1d\"]");
        assertThat(errorsOf(config)).containsExactly(config + ": quota.plans.free[2]: \"30/1d\" has the same period as \"25/1d\": keep one");
    }

    @Test
    void route_to_unknown_provider_lists_the_known_ones() {
        var config = configWith("{provider: lumenfall, model: imagen-4.0-generate-001}", "{provider: lumenfal, model: imagen-4.0-generate-001}");
        assertThat(errorsOf(config)).containsExactly(config + ": models.imagen-4.routes[1].provider: "
                + "unknown provider \"lumenfal\" (known: aimlapi, theturbo, lumenfall)");
    }

    @Test
    void default_model_must_be_in_models() {
        var config = configWith("default-model: imagen-4", "default-model: imagen-5");
        assertThat(errorsOf(config)).containsExactly(config + ": default-model: unknown model \"imagen-5\" (known: imagen-4)");
    }

    @Test
    void a_providers_rate_must_be_a_limit_and_its_wait_at_most_an_hour() {
        var config = configWith("api-key: \"${AIMLAPI_KEY}\"}", "api-key: \"${AIMLAPI_KEY}\", rate: 60/1w}");
        assertThat(errorsOf(config)).singleElement().asString().startsWith(config + ": providers.aimlapi.rate: \"60/1w\" is not a limit");
        var wait = configWith("api-key: \"${AIMLAPI_KEY}\"}", "api-key: \"${AIMLAPI_KEY}\", rate: 60/1m, rate-wait: 2h}");
        assertThat(errorsOf(wait)).containsExactly(wait + ": providers.aimlapi.rate-wait: must be from 0s to 1h, not 2h");
    }

    @Test
    void default_plan_must_be_in_plans() {
        var config = configWith("default-plan: free", "default-plan: gold");
        assertThat(errorsOf(config)).containsExactly(config + ": quota.default-plan: unknown plan \"gold\" (known: free)");
    }

    @Test
    void unknown_dialect_is_refused() {
        var config = configWith("dialect: aimlapi", "dialect: aiml");
        assertThat(errorsOf(config)).containsExactly(config + ": providers.aimlapi.dialect: unknown dialect \"aiml\" (known: aimlapi, openai)");
    }

    @Test
    void a_request_default_the_dialect_does_not_know_is_refused() {
        var config = configWith("api-key: \"${AIMLAPI_KEY}\"}", "api-key: \"${AIMLAPI_KEY}\", defaults: {safety_level: high}}");
        assertThat(errorsOf(config)).singleElement().asString()
                .startsWith(config + ": providers.aimlapi.defaults.safety_level: is not a setting of the aimlapi dialect (known: ");
    }

    @Test
    void a_value_of_the_wrong_type_says_what_was_expected() {
        var config = configWith("max-images: 4", "max-images: four");
        assertThat(errorsOf(config)).containsExactly(config + ": models.imagen-4.max-images: expected a whole number, not \"four\"");
    }

    @Test
    void unsupported_aspect_ratio_text_is_refused() {
        var config = configWith("[\"1:1\", \"16:9\"]", "[\"1:1\", \"wide\"]");
        assertThat(errorsOf(config)).containsExactly(config + ": models.imagen-4.aspect-ratios[1]: bad ratio \"wide\": write W:H such as \"16:9\"");
    }

    @Test
    void yaml_syntax_error_gives_the_line() {
        var config = files.config("providers:\n  aimlapi: {dialect: aimlapi\nmodels: [\n");
        assertThat(errorsOf(config)).singleElement().asString().startsWith(config + ": line ").contains("not valid YAML");
    }

    @Test
    void missing_file_is_named() {
        Path config = dir.resolve("nope.yaml");
        assertThat(errorsOf(config)).containsExactly(config + ": file not found (`pictor init` writes the commented reference files)");
    }

    @Test
    void every_mistake_is_reported_at_once_not_only_the_first() {
        var config = files.config(ConfigFiles.VALID
                .replace("dialect: aimlapi", "dialect: aiml")
                .replace("{provider: lumenfall, model: imagen-4.0-generate-001}", "{provider: lumenfal, model: x}")
                .replace("default-plan: free", "default-plan: gold")
                + "http: {port: 70000}\n");
        assertThat(errorsOf(config)).containsExactly(
                config + ": http.port: must be from 0 to 65535, not 70000",
                config + ": models.imagen-4.routes[1].provider: unknown provider \"lumenfal\" (known: aimlapi, theturbo, lumenfall)",
                config + ": providers.aimlapi.dialect: unknown dialect \"aiml\" (known: aimlapi, openai)",
                config + ": quota.default-plan: unknown plan \"gold\" (known: free)");
    }

    // ---- bot profiles

    @Test
    void bot_with_unknown_platform_names_its_file() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("slack", "platform: slack\ntoken: x\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(bot + ": platform: unknown platform \"slack\" (known: discord, telegram)");
    }

    @Test
    void bot_without_platform_is_refused() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("mybot", "token: ${DISCORD_TOKEN}\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(bot + ": platform: is required");
    }

    @Test
    void bot_language_must_be_one_pictor_ships_and_is_read_by_its_language() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("discord", "platform: discord\ntoken: ''\nlanguage: ko\n");
        assertThat(errorsOf(config, files.bots(), Map.of()))
                .containsExactly(bot + ": language: pictor speaks en, es, de, fr, pt-BR, ru, ja, not \"ko\"");

        files.bot("discord", "platform: discord\ntoken: ''\nlanguage: pt-br\n");
        var loaded = ConfigLoader.of(Map.of()).load(config, files.bots());
        assertThat(loaded.bots().getFirst().defaultLanguage()).isEqualTo(dev.pictor.core.text.Languages.BRAZILIAN_PORTUGUESE);
    }

    @Test
    void bot_role_plan_must_name_a_known_plan() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("discord", "platform: discord\ntoken: ''\nrole-plans: {\"1234\": vip}\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(bot + ": role-plans.1234: unknown plan \"vip\" (known: free)");
    }

    @Test
    void discord_only_keys_are_refused_in_a_telegram_profile() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\ngateway-url: wss://example.org\nshards: 2\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(
                bot + ": gateway-url: only for discord profiles",
                bot + ": shards: only for discord profiles");
    }

    @Test
    void discord_shard_ids_must_be_shards_of_the_total() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("discord", "platform: discord\ntoken: ''\nshards: 2\nshard-ids: [1, 2, 1]\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactlyInAnyOrder(
                bot + ": shard-ids[1]: must be a shard number from 0 to 1 (shards: 2), not 2",
                bot + ": shard-ids: lists a shard twice");
    }

    @Test
    void telegram_api_url_with_a_path_is_refused() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\napi-url: https://api.telegram.org/bot123\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(bot + ": api-url: must have no path "
                + "(the Bot API client adds /bot<token>/<method>), e.g. https://api.telegram.org");
    }

    @Test
    void bot_with_misspelt_key_is_refused() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\napi_url: https://example.org\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).singleElement().asString()
                .startsWith(bot + ": api_url: unknown key (known: platform, token, api-url, ");
    }

    @Test
    void bot_community_pool_with_a_bad_limit_is_refused() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\ncommunity-pool: [\"100 per day\"]\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).singleElement().asString()
                .startsWith(bot + ": community-pool: \"100 per day\" is not a limit");
    }

    // ---- Telegram webhook mode

    static final String TOKEN = "token: \"123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghi\"\n";

    @Test
    void a_telegram_webhook_profile_loads_with_its_path_derived_from_the_profile_name() {
        var config = files.config(ConfigFiles.VALID);
        files.bot("tg", "platform: telegram\n" + TOKEN + "mode: webhook\nwebhook-url: https://bots.example.org/hook\n"
                + "webhook-secret: ${HOOK_SECRET}\n");
        var bot = ConfigLoader.of(Map.of("HOOK_SECRET", "s3cret_Value-1-long-enough")).load(config, files.bots()).bots().getFirst();
        assertThat(bot.usesWebhook()).isTrue();
        assertThat(bot.webhookUrl()).isEqualTo("https://bots.example.org/hook");
        assertThat(bot.webhookSecret()).isEqualTo("s3cret_Value-1-long-enough");
        assertThat(bot.webhookPath()).isEqualTo("/telegram/tg");
        assertThat(bot.toString()).doesNotContain("s3cret_Value-1");
        // and without mode the profile polls, as before
        files.bot("tg", "platform: telegram\n" + TOKEN);
        assertThat(ConfigLoader.of(Map.of()).load(config, files.bots()).bots().getFirst().mode()).isEqualTo(BotProfile.Mode.POLLING);
    }

    @Test
    void a_telegram_webhook_needs_its_url_and_secret() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\n" + TOKEN + "mode: webhook\nwebhook-secret: ${HOOK_SECRET}\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(
                bot + ": webhook-secret: is required with mode: webhook (16-256 of A-Z a-z 0-9 _ -, e.g. ${TELEGRAM_WEBHOOK_SECRET}):"
                        + " it proves a request comes from Telegram",
                bot + ": webhook-url: is required with mode: webhook (the public HTTPS address Telegram posts the updates"
                        + " to, e.g. https://bots.example.org/telegram/tg)");
    }

    @Test
    void a_telegram_webhook_url_must_be_https_on_a_port_telegram_calls() {
        var config = files.config(ConfigFiles.VALID);
        for (var bad : Map.of(
                "http://bots.example.org/hook", "must be an https URL Telegram can reach (behind a reverse proxy that "
                        + "forwards to this port), not \"http://bots.example.org/hook\"",
                "https://bots.example.org:8080/hook", "port 8080 is not one Telegram sends webhooks to (443, 80, 88 or 8443)",
                "bots.example.org/hook", "must be an https URL Telegram can reach (behind a reverse proxy that forwards "
                        + "to this port), not \"bots.example.org/hook\"",
                "https://bots.example.org/hook?key=1", "must be a plain https URL, without user, query or fragment").entrySet()) {
            var bot = files.bot("tg", "platform: telegram\n" + TOKEN + "mode: webhook\nwebhook-url: \"" + bad.getKey()
                    + "\"\nwebhook-secret: abcdefghij0123456789\n");
            assertThat(errorsOf(config, files.bots(), Map.of())).as(bad.getKey()).containsExactly(bot + ": webhook-url: " + bad.getValue());
        }
        // the ports Telegram calls are fine
        files.bot("tg", "platform: telegram\n" + TOKEN + "mode: webhook\nwebhook-url: https://bots.example.org:8443/hook\nwebhook-secret: abcdefghij0123456789\n");
        assertThat(ConfigLoader.of(Map.of()).load(config, files.bots()).bots()).hasSize(1);
    }

    @Test
    void a_telegram_webhook_secret_must_keep_to_telegrams_characters_and_length_and_is_never_shown() {
        var config = files.config(ConfigFiles.VALID);
        var bot = files.bot("tg", "platform: telegram\n" + TOKEN + "mode: webhook\nwebhook-url: https://bots.example.org/hook\n"
                + "webhook-secret: ${HOOK_SECRET}\n");
        String spaced = "my webhook secret!";
        assertThat(errorsOf(config, files.bots(), Map.of("HOOK_SECRET", spaced))).singleElement().asString()
                .isEqualTo(bot + ": webhook-secret: must be 16-256 characters, each a letter A-Z or a-z, a digit, _ or - "
                        + "(Telegram takes 1-256; pictor asks for 16 or more, so that it cannot be guessed and is masked"
                        + " wherever it could be logged); this one has other characters (its value is not shown)")
                .doesNotContain(spaced);
        String guessable = "abc123";
        assertThat(errorsOf(config, files.bots(), Map.of("HOOK_SECRET", guessable))).singleElement().asString()
                .contains("this one is 6 characters long").doesNotContain(guessable);
        String tooLong = "a".repeat(257);
        assertThat(errorsOf(config, files.bots(), Map.of("HOOK_SECRET", tooLong))).singleElement().asString()
                .contains("this one is 257 characters long").doesNotContain(tooLong);
    }

    @Test
    void webhook_keys_belong_to_webhook_mode_and_to_telegram() throws Exception {
        var config = files.config(ConfigFiles.VALID);
        var polling = files.bot("tg", "platform: telegram\n" + TOKEN + "webhook-url: https://bots.example.org/hook\nwebhook-path: /hook\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(
                polling + ": webhook-path: only with mode: webhook",
                polling + ": webhook-url: only with mode: webhook");
        java.nio.file.Files.delete(polling);
        var discord = files.bot("dc", "platform: discord\ntoken: ''\nmode: webhook\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(discord + ": mode: only for telegram profiles");
        var path = files.bot("dc", "platform: telegram\nmode: webhook\nwebhook-path: /metrics\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).containsExactly(
                path + ": webhook-path: must not be /metrics, which serves the operator's endpoint of that name");
        files.bot("dc", "platform: telegram\nmode: sometimes\n");
        assertThat(errorsOf(config, files.bots(), Map.of())).singleElement().asString()
                .contains("mode: unknown mode \"sometimes\" (known: polling, webhook)");
    }

    @Test
    void missing_bots_directory_is_named() {
        var config = files.config(ConfigFiles.VALID);
        assertThat(errorsOf(config, dir.resolve("nobots"), Map.of())).containsExactly(dir.resolve("nobots") + ": bots directory not found (`pictor init` writes the commented reference files)");
    }

    // ---- secrets

    @Test
    void a_secret_put_where_a_number_belongs_is_not_echoed_in_the_error() {
        var config = configWith("max-images: 4", "max-images: ${AIMLAPI_KEY}");
        var errors = errorsOf(config, null, Map.of("AIMLAPI_KEY", "sk-live-0123456789"));
        assertThat(errors).singleElement().asString().startsWith(config + ": models.imagen-4.max-images: expected a whole number")
                .doesNotContain("sk-live-0123456789");
    }
}
