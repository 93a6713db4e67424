package dev.pictor.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration shipped in config/ and bots/ (read from the project root) is valid and says what it should. */
class ShippedExamplesTest {
    static final Path CONFIG = Path.of("config/pictor.yaml");
    static final Path BOTS = Path.of("bots");

    @Test
    void shipped_files_load_with_no_environment_with_every_provider_disabled_and_every_bot_skipped() {
        var loaded = ConfigLoader.of(Map.of()).load(CONFIG, BOTS);
        assertThat(loaded.config().providers()).containsOnlyKeys("aimlapi", "theturbo", "lumenfall");
        assertThat(loaded.config().enabledProviders()).isEmpty();
        assertThat(loaded.bots()).extracting(BotProfile::name).containsExactly("discord", "telegram");
        assertThat(loaded.bots()).noneMatch(BotProfile::enabled);
    }

    @Test
    void shipped_keys_come_from_the_documented_variables() {
        var env = Map.of("AIMLAPI_KEY", "a-123456", "THETURBO_API_KEY", "t-123456", "LUMENFALL_API_KEY", "l-123456",
                "DISCORD_TOKEN", "d.123456", "TELEGRAM_TOKEN", "1:123456");
        var loaded = ConfigLoader.of(env).load(CONFIG, BOTS);
        assertThat(loaded.config().providers().get("aimlapi").apiKey()).isEqualTo("a-123456");
        assertThat(loaded.config().providers().get("theturbo").apiKey()).isEqualTo("t-123456");
        assertThat(loaded.config().providers().get("lumenfall").apiKey()).isEqualTo("l-123456");
        assertThat(loaded.bots()).extracting(BotProfile::token).containsExactly("d.123456", "1:123456");
    }

    @Test
    void shipped_catalog_has_the_seed_models_and_a_non_imagen_model() {
        var catalog = ConfigLoader.of(Map.of()).load(CONFIG).config().catalog();
        assertThat(catalog.all()).extracting(m -> m.id())
                .contains("imagen-4", "imagen-4-preview", "imagen-3", "imagen-3-fast", "gemini-2.5-flash-image");
        assertThat(catalog.find("imagen-4").orElseThrow().routes()).extracting(Object::toString)
                .containsExactly("aimlapi:google/imagen-4.0-generate-001");
        assertThat(catalog.find("imagen-4-preview").orElseThrow().routes()).extracting(Object::toString)
                .containsExactly("aimlapi:google/imagen4/preview");
        assertThat(catalog.find("imagen-3").orElseThrow().routes()).extracting(r -> r.provider())
                .containsExactly("aimlapi", "theturbo", "lumenfall");
        assertThat(catalog.find("imagen-3-fast").orElseThrow().routes()).extracting(Object::toString)
                .containsExactly("theturbo:imagen-3.0-fast-generate-001");
        var imagen4 = catalog.find("imagen-4").orElseThrow().capabilities();
        assertThat(imagen4.aspectRatios()).containsExactly("1:1", "9:16", "16:9", "3:4", "4:3");
        assertThat(imagen4.maxImages()).isEqualTo(4);
        assertThat(imagen4.maxPromptChars()).isEqualTo(400);
    }
}
