package dev.pictor.provider;

import dev.pictor.provider.aimlapi.AimlApiProvider;
import dev.pictor.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderSettingsTest {
    private static final String KEY = "sk-live-abcdefghijklmnopqrstuvwxyz0123";

    private static ProviderSettings settings(String dialect, String base, Map<String, Object> defaults) {
        return new ProviderSettings("gw", dialect, base, KEY, null, 4, null, defaults);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "https://api.aimlapi.com, https://api.aimlapi.com/v1/images/generations",
            "https://gateway.theturbo.ai, https://gateway.theturbo.ai/v1/images/generations",
            "https://api.lumenfall.ai/openai, https://api.lumenfall.ai/openai/v1/images/generations",
            "https://api.lumenfall.ai/openai/, https://api.lumenfall.ai/openai/v1/images/generations",
            "https://api.lumenfall.ai/openai/v1, https://api.lumenfall.ai/openai/v1/images/generations",
            "https://api.aimlapi.com/v1/, https://api.aimlapi.com/v1/images/generations",
            "http://127.0.0.1:8080, http://127.0.0.1:8080/v1/images/generations",
    })
    void theEndpointIsTheBasePlusV1ImagesGenerations_unlessTheBaseEndsInV1(String base, String endpoint) {
        assertThat(settings("openai", base, null).generationsUrl().toString()).isEqualTo(endpoint);
    }

    @Test
    void toStringNeverShowsTheKey() {
        var s = settings("aimlapi", "https://api.aimlapi.com", Map.of("safety_setting", "block_only_high"));

        assertThat(s.toString()).doesNotContain(KEY).contains("apiKey=(set)").contains("block_only_high");
        assertThat(Providers.create(s, Pipeline.PROVIDERS).toString()).doesNotContain(KEY);
    }

    @Test
    void missingValuesGetDefaults() {
        var s = new ProviderSettings("gw", "OpenAI", "https://x.test", null, null, 1, null, null);

        assertThat(s.dialect()).isEqualTo("openai");
        assertThat(s.timeout()).isEqualTo(ProviderSettings.DEFAULT_TIMEOUT);
        assertThat(s.defaults()).isEmpty();
        assertThat(s.hasApiKey()).isFalse();
    }

    @Test
    void eachBadValueIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> settings("aimlapi", "ftp://x.test", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("providers.gw.base-url");
        assertThatThrownBy(() -> settings("aimlapi", "https://x.test?key=1", null))
                .hasMessageContaining("providers.gw.base-url");
        assertThatThrownBy(() -> settings(" ", "https://x.test", null)).hasMessageContaining("providers.gw.dialect");
        assertThatThrownBy(() -> new ProviderSettings("gw", "openai", "https://x.test", KEY, Duration.ZERO, 1, null, null))
                .hasMessageContaining("providers.gw.timeout");
        assertThatThrownBy(() -> new ProviderSettings("gw", "openai", "https://x.test", KEY, null, 0, null, null))
                .hasMessageContaining("providers.gw.max-concurrent");
        assertThatThrownBy(() -> new ProviderSettings("gw", "openai", "https://x.test", KEY, null, 1, -0.5, null))
                .hasMessageContaining("providers.gw.price-per-image");
        var withNull = new HashMap<String, Object>();
        withNull.put("size", null);
        assertThatThrownBy(() -> settings("openai", "https://x.test", withNull)).hasMessageContaining("providers.gw.defaults.size");
    }

    @Test
    void anUnknownDialectIsRefusedByName() {
        var s = settings("stability", "https://x.test", null);

        assertThatThrownBy(() -> Providers.create(s, Pipeline.PROVIDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.gw.dialect").hasMessageContaining("'stability'")
                .hasMessageContaining("aimlapi, openai");
        assertThatThrownBy(() -> Providers.validate(s)).hasMessageContaining("'stability'");
    }

    @Test
    void creatingNeedsAKey_butValidatingDoesNot() {
        var s = new ProviderSettings("gw", "aimlapi", "https://x.test", "", null, 1, null, null);

        Providers.validate(s);
        assertThatThrownBy(() -> Providers.create(s, Pipeline.PROVIDERS)).hasMessageContaining("providers.gw.api-key");
    }

    @Test
    void eachDialectPicksItsOwnGateway() {
        assertThat(Providers.create(settings("aimlapi", "https://x.test", null), Pipeline.PROVIDERS)).isInstanceOf(AimlApiProvider.class);
        assertThat(Providers.create(settings("openai", "https://x.test", null), Pipeline.PROVIDERS)).isInstanceOf(OpenAiProvider.class);
    }

    @ParameterizedTest(name = "{0} {1}={2} → {3}")
    @CsvSource(delimiter = '|', value = {
            "aimlapi | safety_setting      | block_everything | providers.gw.defaults.safety_setting must be one of block_low_and_above",
            "aimlapi | person_generation   | allow_all        | providers.gw.defaults.person_generation must be one of dont_allow, allow_adult",
            "aimlapi | add_watermark       | yes              | providers.gw.defaults.add_watermark must be true or false",
            "aimlapi | num_images          | 2                | providers.gw.defaults.num_images is not a setting of the aimlapi dialect",
            "aimlapi | output_format       | png              | providers.gw.defaults.output_format is not a setting of the aimlapi dialect",
            "openai  | response_format     | base64           | providers.gw.defaults.response_format must be one of b64_json, url",
            "openai  | output_format       | bmp              | providers.gw.defaults.output_format must be one of png, jpeg, gif, webp, avif",
            "openai  | size                | huge             | providers.gw.defaults.size must be a size like 1024x1024",
            "openai  | resolution          | 8k-ish           | providers.gw.defaults.resolution must be a tier like 1K",
            "openai  | output_compression  | 101              | providers.gw.defaults.output_compression must be a whole number from 0 to 100",
            "openai  | style               | noir             | providers.gw.defaults.style must be one of photograph",
            "openai  | safety_setting      | block_only_high  | providers.gw.defaults.safety_setting is not a setting of the openai dialect",
    })
    void invalidDefaultsAreRefusedNamingTheKey(String dialect, String key, String value, String message) {
        var s = settings(dialect, "https://x.test", Map.of(key, value));

        assertThatThrownBy(() -> Providers.validate(s)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> Providers.create(s, Pipeline.PROVIDERS)).hasMessageContaining(message);
    }

    @Test
    void validDefaultsOfEachDialectAreAccepted_inSnakeOrKebabCase() {
        Providers.validate(settings("aimlapi", "https://x.test", Map.of("person-generation", "allow_adult",
                "safety_setting", "block_low_and_above", "add_watermark", "false", "convert_base64_to_url", true)));
        Providers.validate(settings("openai", "https://x.test", Map.of("response_format", "url", "output-format", "webp",
                "size", "1024x1024", "resolution", "4K", "output_compression", 80, "style", "watercolor")));
    }
}
