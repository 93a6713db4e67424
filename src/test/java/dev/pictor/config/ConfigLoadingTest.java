package dev.pictor.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a valid configuration turns into: defaults, substitution, disabled providers, skipped bots, the catalog. */
class ConfigLoadingTest {
    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    @Test
    void keys_left_out_take_their_documented_defaults() {
        var c = ConfigLoader.of(Map.of()).load(files.config(ConfigFiles.VALID)).config();
        assertThat(c.storage().url()).isEqualTo("jdbc:sqlite:data/pictor.db");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.fetch().maxBytes()).isEqualTo(20L << 20);
        assertThat(c.fetch().allowPrivate()).isEmpty();
        assertThat(c.retry().toPolicy()).isEqualTo(dev.pictor.core.RetryPolicy.DEFAULT);
        assertThat(c.providers().get("aimlapi").timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.providers().get("aimlapi").maxConcurrent()).isEqualTo(8);
        assertThat(c.providers().get("aimlapi").rate()).as("no rate: never held back").isNull();
        assertThat(c.providers().get("aimlapi").rateWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.bannedTerms()).isEmpty();
        assertThat(c.shutdown().grace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a_providers_plan_is_read_as_its_rate_and_the_wait_for_a_turn_as_a_duration() {
        var config = files.config(ConfigFiles.VALID.replace("api-key: \"${AIMLAPI_KEY}\"}",
                "api-key: \"${AIMLAPI_KEY}\", rate: 60/1m, rate-wait: 10s}"));
        var aimlapi = ConfigLoader.of(Map.of()).load(config).config().providers().get("aimlapi");
        assertThat(aimlapi.rate().spec()).isEqualTo(dev.pictor.core.LimitSpec.parse("60/1m"));
        assertThat(aimlapi.rateWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shutdown_grace_is_read_as_a_duration() {
        var config = files.config(ConfigFiles.VALID + "shutdown: {grace: 1500ms}\n");
        assertThat(ConfigLoader.of(Map.of()).load(config).config().shutdown().grace()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void variable_is_substituted_and_a_lone_number_becomes_a_number() {
        var config = files.config(ConfigFiles.VALID + "http: {port: \"${PORT}\"}\nstorage: {url: \"jdbc:sqlite:${DATA}/p.db\"}\n");
        var c = ConfigLoader.of(Map.of("PORT", "9090", "DATA", "/srv/pictor")).load(config).config();
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.storage().url()).isEqualTo("jdbc:sqlite:/srv/pictor/p.db");
    }

    @Test
    void a_postgresql_storage_takes_its_login_from_variables_and_never_shows_the_password() {
        var config = files.config(ConfigFiles.VALID + "storage: {url: \"jdbc:postgresql://${PGHOST}:5432/pictor\", "
                + "user: \"${PGUSER}\", password: \"${PGPASSWORD}\"}\n");
        var storage = ConfigLoader.of(Map.of("PGHOST", "db", "PGUSER", "pictor", "PGPASSWORD", "s3cret-pw"))
                .load(config).config().storage();
        assertThat(storage.postgres()).isTrue();
        assertThat(storage.url()).isEqualTo("jdbc:postgresql://db:5432/pictor");
        assertThat(storage.user()).isEqualTo("pictor");
        assertThat(storage.password()).isEqualTo("s3cret-pw");
        assertThat(storage.toString()).doesNotContain("s3cret-pw");
        // a password in the URL is masked wherever the URL is shown
        var inUrl = new dev.pictor.config.StorageConfig("jdbc:postgresql://db/pictor?user=pictor&password=s3cret-pw&ssl=true");
        assertThat(inUrl.shownUrl()).isEqualTo("jdbc:postgresql://db/pictor?user=pictor&password=***&ssl=true");
        assertThat(inUrl.passwordInUrl()).isEqualTo("s3cret-pw");
    }

    @Test
    void default_after_colon_dash_applies_when_the_variable_is_unset_or_empty() {
        var config = files.config(ConfigFiles.VALID + "http: {port: \"${PORT:-8181}\"}\nstorage: {url: \"${DB:-jdbc:sqlite:x.db}\"}\n");
        assertThat(ConfigLoader.of(Map.of()).load(config).config().http().port()).isEqualTo(8181);
        assertThat(ConfigLoader.of(Map.of("PORT", "")).load(config).config().http().port()).isEqualTo(8181);
        assertThat(ConfigLoader.of(Map.of("PORT", "7000")).load(config).config().http().port()).isEqualTo(7000);
        assertThat(ConfigLoader.of(Map.of()).load(config).config().storage().url()).isEqualTo("jdbc:sqlite:x.db");
    }

    @Test
    void unset_variable_without_default_is_empty_and_disables_the_provider() {
        var loaded = ConfigLoader.of(Map.of("LUMENFALL_API_KEY", "lf-key-123456")).load(files.config(ConfigFiles.VALID));
        assertThat(loaded.config().providers().get("aimlapi").enabled()).isFalse();
        assertThat(loaded.config().providers().get("lumenfall").enabled()).isTrue();
        assertThat(loaded.config().providers().get("lumenfall").apiKey()).isEqualTo("lf-key-123456");
        assertThat(loaded.config().enabledProviders()).containsOnlyKeys("lumenfall");
        assertThat(loaded.variablesAt(loaded.configFile().toString(), "providers.aimlapi.api-key")).containsExactly("AIMLAPI_KEY");
    }

    @Test
    void provider_and_bot_never_show_their_secret_in_toString() {
        var config = files.config(ConfigFiles.VALID);
        files.bot("tg", "platform: telegram\ntoken: ${TELEGRAM_TOKEN}\n");
        var loaded = ConfigLoader.of(Map.of("AIMLAPI_KEY", "sk-aiml-secret-1", "TELEGRAM_TOKEN", "123:tg-secret-2"))
                .load(config, files.bots());
        assertThat(loaded.config().toString()).doesNotContain("sk-aiml-secret-1").contains("(set)");
        assertThat(loaded.bots().getFirst().toString()).doesNotContain("tg-secret-2").contains("(set)");
    }

    @Test
    void double_dollar_is_a_literal_placeholder() {
        var p = Placeholders.of(Map.of("X", "no"));
        var node = p.resolve(new com.fasterxml.jackson.databind.node.TextNode("cost $${X} and ${X}"));
        assertThat(node.textValue()).isEqualTo("cost ${X} and no");
    }

    @Test
    void unclosed_placeholder_is_a_mistake_at_its_key() {
        var config = files.config(ConfigFiles.VALID + "storage: {url: \"jdbc:sqlite:${DATA\"}\n");
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(Map.of()).load(config));
        assertThat(e.errors()).extracting(ConfigError::toString).contains(config + ": storage.url: unclosed \"${\": write ${VAR} or ${VAR:-default}");
    }

    @Test
    void bot_without_token_is_loaded_but_not_enabled_and_gets_platform_defaults() {
        var config = files.config(ConfigFiles.VALID);
        files.bot("discord", "platform: discord\ntoken: ${DISCORD_TOKEN}\ncommunity-pool: free\n");
        files.bot("telegram", "platform: telegram\ntoken: ${TELEGRAM_TOKEN}\ncommunity-pool: [\"100/1d\"]\n");
        var loaded = ConfigLoader.of(Map.of("TELEGRAM_TOKEN", "123:abc")).load(config, files.bots());
        assertThat(loaded.bots()).extracting(BotProfile::name).containsExactly("discord", "telegram");
        BotProfile discord = loaded.bots().get(0), telegram = loaded.bots().get(1);
        assertThat(discord.enabled()).isFalse();
        assertThat(discord.apiUrl()).isEqualTo("https://discord.com/api/v10");
        assertThat(discord.gatewayUrl()).isEqualTo("wss://gateway.discord.gg");
        assertThat(discord.commands()).isEqualTo(CommandScope.GLOBAL);
        assertThat(discord.communityPool().plan()).isEqualTo("free");
        assertThat(telegram.enabled()).isTrue();
        assertThat(telegram.apiUrl()).isEqualTo("https://api.telegram.org");
        assertThat(telegram.communityPool().limits()).containsExactly(QuotaLimit.parse("100/1d"));
    }

    @Test
    void api_and_gateway_urls_can_point_a_bot_elsewhere() {
        var config = files.config(ConfigFiles.VALID);
        files.bot("d", "platform: discord\napi-url: http://127.0.0.1:9999/api/v10/\ngateway-url: ws://127.0.0.1:9998\n");
        var bot = ConfigLoader.of(Map.of()).load(config, files.bots()).bots().getFirst();
        assertThat(bot.apiUrl()).isEqualTo("http://127.0.0.1:9999/api/v10");
        assertThat(bot.gatewayUrl()).isEqualTo("ws://127.0.0.1:9998");
    }

    @Test
    void limits_read_their_count_and_period() {
        assertThat(QuotaLimit.parse("3/1m")).isEqualTo(new QuotaLimit(3, 1, 'm'));
        assertThat(QuotaLimit.parse("3/1m").period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(QuotaLimit.parse("25/1d").period()).isEqualTo(Duration.ofDays(1));
        assertThat(QuotaLimit.parse(" 10 / 30s ").period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(QuotaLimit.parse("5/h")).isEqualTo(new QuotaLimit(5, 1, 'h'));
        assertThat(QuotaLimit.parse("30/24h").toString()).isEqualTo("30/24h");
    }

    @Test
    void the_catalog_keeps_order_capabilities_and_routes() {
        var catalog = ConfigLoader.of(Map.of()).load(files.config(ConfigFiles.VALID)).config().catalog();
        var m = catalog.defaultModel();
        assertThat(m.id()).isEqualTo("imagen-4");
        assertThat(m.capabilities().aspectRatios()).containsExactly("1:1", "16:9");
        assertThat(m.capabilities().maxImages()).isEqualTo(4);
        assertThat(m.capabilities().seed()).isFalse();
        assertThat(m.routes()).extracting(Object::toString)
                .containsExactly("aimlapi:google/imagen-4.0-generate-001", "lumenfall:imagen-4.0-generate-001");
    }

    @Test
    void default_model_may_be_left_out_and_is_then_the_first() {
        var config = files.config(ConfigFiles.VALID.replace("default-model: imagen-4\n", ""));
        assertThat(ConfigLoader.of(Map.of()).load(config).config().defaultModel()).isEqualTo("imagen-4");
    }

    @Test
    void sizes_take_units() {
        var config = files.config(ConfigFiles.VALID + "fetch: {max-bytes: 512KB, allow-private: [127.0.0.1]}\n");
        var fetch = ConfigLoader.of(Map.of()).load(config).config().fetch();
        assertThat(fetch.maxBytes()).isEqualTo(512 * 1024);
        assertThat(fetch.allowPrivate()).isEqualTo(List.of("127.0.0.1"));
    }
}
