package dev.pictor.config;

import dev.pictor.core.BreakerPolicy;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Route;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Prices in one currency, a model's routing order and the routes' breaker: what an admin writes, and their mistakes. */
class PricesAndRoutingConfigTest {
    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    private PictorConfig load(String yaml) {
        return ConfigLoader.of(Map.of()).load(files.config(yaml)).config();
    }

    private List<String> errorsOf(String yaml) {
        Path config = files.config(yaml);
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(Map.of()).load(config));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        return e.errors().stream().map(ConfigError::toString).map(s -> s.substring(config.toString().length() + 2)).toList();
    }

    private static String with(String from, String to) {
        assertThat(ConfigFiles.VALID).contains(from);
        return ConfigFiles.VALID.replace(from, to);
    }

    @Test
    void nothing_priced_means_dollars_ordered_routes_no_prices_and_the_default_breaker() {
        var config = load(ConfigFiles.VALID);
        assertThat(config.currency()).isEqualTo("USD");
        ModelSpec model = config.catalog().defaultModel();
        assertThat(model.routing()).isEqualTo(ModelSpec.Routing.ORDERED);
        assertThat(model.routes()).extracting(Route::price).containsExactly(null, null);
        assertThat(config.routing().breaker().toPolicy()).isEqualTo(BreakerPolicy.DEFAULT);
        assertThat(BreakerPolicy.DEFAULT).isEqualTo(new BreakerPolicy(50, 10, 3, Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    @Test
    void a_route_takes_its_own_price_else_its_providers_price_per_image_in_the_configured_currency() {
        var yaml = with("lumenfall: {dialect: openai, base-url: \"https://api.lumenfall.ai/openai\", api-key: \"${LUMENFALL_API_KEY}\"}",
                "lumenfall: {dialect: openai, base-url: \"https://api.lumenfall.ai/openai\", api-key: \"${LUMENFALL_API_KEY}\", price-per-image: 0.03}")
                .replace("{provider: aimlapi, model: google/imagen-4.0-generate-001}", "{provider: aimlapi, model: google/imagen-4.0-generate-001, price: 0.04}")
                .replace("max-images: 4\n", "max-images: 4\n    routing: cheapest\n")
                .replace("aimlapi: {dialect: aimlapi, base-url: \"https://api.aimlapi.com\", api-key: \"${AIMLAPI_KEY}\"}",
                        "aimlapi: {dialect: aimlapi, base-url: \"https://api.aimlapi.com\", api-key: \"${AIMLAPI_KEY}\", credit-price: 0.000125}")
                + "currency: eur\n";
        var config = load(yaml);

        assertThat(config.currency()).isEqualTo("EUR");
        ModelSpec model = config.catalog().defaultModel();
        assertThat(model.routes()).containsExactly(new Route("aimlapi", "google/imagen-4.0-generate-001", 0.04),
                new Route("lumenfall", "imagen-4.0-generate-001", 0.03));
        assertThat(model.routing()).isEqualTo(ModelSpec.Routing.CHEAPEST);
        assertThat(model.routesInTurn()).extracting(Route::provider).containsExactly("lumenfall", "aimlapi");
        assertThat(config.providers().get("aimlapi").toSettings("aimlapi").creditPrice()).isEqualTo(0.000125);
    }

    @Test
    void a_negative_route_price_is_refused_naming_the_route() {
        var yaml = with("{provider: lumenfall, model: imagen-4.0-generate-001}", "{provider: lumenfall, model: imagen-4.0-generate-001, price: -0.01}");
        assertThat(errorsOf(yaml)).containsExactly("models.imagen-4.routes[1].price: must be a number ≥ 0 (the price of one image), not -0.01");
    }

    @Test
    void a_negative_price_per_image_or_credit_price_is_refused_naming_the_provider_key() {
        var yaml = with("api-key: \"${AIMLAPI_KEY}\"}", "api-key: \"${AIMLAPI_KEY}\", price-per-image: -1, credit-price: -0.5}");
        assertThat(errorsOf(yaml)).containsExactly(
                "providers.aimlapi.credit-price: must be a number ≥ 0, not -0.5",
                "providers.aimlapi.price-per-image: must be a number ≥ 0, not -1.0");
    }

    @Test
    void an_unknown_routing_word_is_refused_with_the_known_ones() {
        var yaml = with("max-images: 4\n", "max-images: 4\n    routing: fastest\n");
        assertThat(errorsOf(yaml)).containsExactly("models.imagen-4.routing: unknown routing \"fastest\" (known: ordered, cheapest)");
    }

    @Test
    void a_currency_that_is_not_a_three_letter_code_is_refused() {
        assertThat(errorsOf(ConfigFiles.VALID + "currency: dollars\n"))
                .containsExactly("currency: a currency is its three-letter ISO 4217 code such as USD or EUR, not \"DOLLARS\"");
    }

    @Test
    void breaker_settings_load_and_their_mistakes_are_refused_naming_each_key() {
        var config = load(ConfigFiles.VALID + "routing: {breaker: {failure-rate: 80, window: 20, minimum-calls: 10, cool-off: 2m}}\n");
        assertThat(config.routing().breaker().toPolicy()).isEqualTo(new BreakerPolicy(80, 20, 10, Duration.ofMinutes(2), Duration.ofMinutes(10)));
        var fixed = load(ConfigFiles.VALID + "routing: {breaker: {cool-off: 1m, max-cool-off: 1m}}\n");
        assertThat(fixed.routing().breaker().toPolicy().coolOff(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(errorsOf(ConfigFiles.VALID + "routing: {breaker: {cool-off: 1m, max-cool-off: 30s}}\n"))
                .containsExactly("routing.breaker.max-cool-off: must not be shorter than cool-off (1m)");

        assertThat(errorsOf(ConfigFiles.VALID + "routing: {breaker: {failure-rate: 0, window: 5, minimum-calls: 6, cool-off: 0s}}\n"))
                .containsExactly("routing.breaker.cool-off: must be longer than 0s",
                        "routing.breaker.failure-rate: is a percentage from 1 to 100, not 0",
                        "routing.breaker.minimum-calls: must be from 1 to the window (5), not 6");
        assertThat(errorsOf(ConfigFiles.VALID + "routing: {breaker: {windw: 5}}\n")).singleElement().asString()
                .startsWith("routing.breaker.windw: unknown key (known: failure-rate, window, minimum-calls, cool-off, max-cool-off, failing-jobs)");

        assertThat(load(ConfigFiles.VALID + "routing: {breaker: {failing-jobs: 0}}\n").routing().breaker().toPolicy().failingJobs())
                .as("0 turns the failing-jobs rule off").isZero();
        assertThat(errorsOf(ConfigFiles.VALID + "routing: {breaker: {window: 5, failing-jobs: 6}}\n"))
                .containsExactly("routing.breaker.failing-jobs: must be from 0 (off) to the window (5), not 6");
    }
}
