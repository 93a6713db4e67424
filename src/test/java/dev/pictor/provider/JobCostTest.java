package dev.pictor.provider;

import dev.pictor.core.JobStatus;
import dev.pictor.core.Route;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static dev.pictor.provider.Pipeline.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each job records what it cost in the configured currency, beside the provider's own figure, through real providers. */
class JobCostTest {
    private final String b64 = Base64.getEncoder().encodeToString(TestImages.png(32, 32));
    private final FakeProvider aiml = new FakeProvider();
    private final FakeProvider turbo = new FakeProvider();

    @AfterEach
    void close() {
        aiml.close();
        turbo.close();
    }

    @Test
    void ai_ml_api_credits_are_converted_by_the_credit_price_and_an_openai_route_is_priced_per_image() {
        var p = Pipeline.withLoopbackFetcher();
        p.add(new ProviderSettings("aiml", "aimlapi", aiml.base(""), KEY, Duration.ofSeconds(5), 4, 0.05, 0.000125, Map.of()));
        p.add(Pipeline.settings("turbo", "openai", turbo.base(""), Map.of()));
        aiml.alwaysAnswer(FakeProvider.json(200, "{\"data\":[{\"b64_json\":\"" + b64 + "\"},{\"b64_json\":\"" + b64 + "\"}],"
                + "\"meta\":{\"usage\":{\"credits_used\":84000}}}"));
        turbo.alwaysAnswer(FakeProvider.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"" + b64 + "\"},{\"b64_json\":\"" + b64 + "\"}]}"));

        // the route's price (0.04) does not override what AI/ML API says it charged
        p.run(Pipeline.model("imagen-4", new Route("aiml", "imagen-4", 0.04)), "a fox", "1:1", 2, null, false);
        p.run(Pipeline.model("imagen-3", new Route("turbo", "imagen-3", 0.03)), "a fox", "1:1", 2, null, false);
        p.run(Pipeline.model("imagen-3-unpriced", new Route("turbo", "imagen-3")), "a fox", "1:1", 2, null, false);

        var reported = p.ledger.closed.get("job-1");
        assertThat(reported.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(reported.spend()).as("AI/ML API's credits").isEqualTo(84000.0);
        assertThat(reported.cost()).as("84000 credits × 0.000125").isCloseTo(10.5, within(1e-9));
        var priced = p.ledger.closed.get("job-2");
        assertThat(priced.spend()).as("no price-per-image on turbo").isNull();
        assertThat(priced.cost()).as("2 images × 0.03").isCloseTo(0.06, within(1e-9));
        assertThat(p.ledger.closed.get("job-3").cost()).as("no price known").isNull();
    }
}
