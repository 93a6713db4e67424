package dev.pictor.provider;

import dev.pictor.core.JobStatus;
import dev.pictor.core.Route;
import dev.pictor.core.port.Generated;
import dev.pictor.testing.TestImages;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pictor.provider.Pipeline.KEY;
import static dev.pictor.provider.Pipeline.jsonBody;
import static dev.pictor.provider.Pipeline.model;
import static dev.pictor.provider.Pipeline.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each provider page in the seeds: the fake answers with the page's documented response, and the request each
 * dialect sends is checked field by field against that page. Runs through the real GenerationService, so the
 * member gets the very image the provider produced.
 */
class SeedPagesTest {
    private final byte[] png = TestImages.png(64, 48);

    private static void assertDocumentedHeaders(RecordedRequest request, String path) {
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo(path);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
    }

    @Test
    void aimlapiImagen3_sendsTheDocumentedBody_andDeliversTheImageAtTheReturnedUrl_withTheEnhancedPrompt() {
        try (var fake = new FakeProvider()) {
            // given the page's response: data[{mime_type, url, prompt}]
            String imagePath = "/generations/guepard/1756970940506-11b77754-ca2a-4995-a260-d75adfb9885c.png";
            fake.thenAnswer(200, fake.documented("aimlapi-imagen-3.0-generate-002.json", null))
                    .serve(imagePath, png, "image/png");
            var p = Pipeline.withLoopbackFetcher().add(settings("aiml", "aimlapi", fake.base(""), Map.of()));

            // when
            var outcome = p.run(model("imagen-3", new Route("aiml", "imagen-3.0-generate-002")),
                    "Racoon eating ice-cream", "1:1", 1, null, true);

            // then the request is the page's
            RecordedRequest request = fake.generations.getFirst();
            assertDocumentedHeaders(request, "/v1/images/generations");
            assertThat(jsonBody(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "model", "imagen-3.0-generate-002",
                    "prompt", "Racoon eating ice-cream",
                    "num_images", 1,
                    "aspect_ratio", "1:1",
                    "enhance_prompt", true,
                    "convert_base64_to_url", true));
            // and the member gets the image behind the URL, with the enhanced prompt
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(fake.downloads).singleElement()
                    .satisfies(d -> assertThat(d.getUrl().encodedPath()).isEqualTo(imagePath));
            Generated generated = p.delivery.delivered.getFirst();
            assertThat(generated.images()).singleElement().satisfies(img -> assertThat(img.bytes()).isEqualTo(png));
            assertThat(generated.revisedPrompt()).startsWith("A playful raccoon with a mischievous grin");
            assertThat(generated.seed()).isNull();
            var closing = p.ledger.only();
            assertThat(closing.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(closing.provider()).isEqualTo("aiml");
            assertThat(closing.providerModel()).isEqualTo("imagen-3.0-generate-002");
            assertThat(closing.spend()).isNull();
            assertThat(p.quota.net()).isEqualTo(1);
        }
    }

    @Test
    void aimlapiImagen4_sendsAspectRatio_andPrefersBase64OverTheUrl_soNothingIsDownloaded() {
        try (var fake = new FakeProvider()) {
            // given the page's 200 example: data[{url, b64_json}]
            fake.thenAnswer(200, fake.documented("aimlapi-imagen-4.0-generate-001.json", png));
            var p = Pipeline.withLoopbackFetcher().add(settings("aiml", "aimlapi", fake.base(""), Map.of()));

            // when
            var outcome = p.run(model("imagen-4", new Route("aiml", "google/imagen-4.0-generate-001")),
                    "Racoon eating ice-cream", "16:9", 1, null, true);

            // then
            RecordedRequest request = fake.generations.getFirst();
            assertDocumentedHeaders(request, "/v1/images/generations");
            assertThat(jsonBody(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "model", "google/imagen-4.0-generate-001",
                    "prompt", "Racoon eating ice-cream",
                    "num_images", 1,
                    "aspect_ratio", "16:9",
                    "enhance_prompt", true,
                    "convert_base64_to_url", true));
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(fake.downloads).isEmpty();
            assertThat(p.delivery.delivered.getFirst().images()).singleElement()
                    .satisfies(img -> assertThat(img.bytes()).isEqualTo(png));
        }
    }

    @Test
    void aimlapiImagen4Preview_readsImagesAndTheSeedTheGatewayChose() {
        try (var fake = new FakeProvider()) {
            // given the page's response: images[{url, content_type, file_name, file_size}], seed
            fake.thenAnswer(200, fake.documented("aimlapi-imagen4-preview.json", null))
                    .serve("/eagle/files/panda/tI_UTxAzqLqWZZqSoNqsO_output.png", png, "image/png");
            var p = Pipeline.withLoopbackFetcher().add(settings("aiml", "aimlapi", fake.base(""), Map.of()));

            // when
            var outcome = p.run(model("imagen-4-preview", new Route("aiml", "google/imagen4/preview")),
                    "Racoon eating ice-cream", "16:9", 1, null, true);

            // then
            assertThat(jsonBody(fake.generations.getFirst())).containsEntry("model", "google/imagen4/preview")
                    .containsEntry("aspect_ratio", "16:9").doesNotContainKey("seed");
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            Generated generated = p.delivery.delivered.getFirst();
            assertThat(generated.images()).singleElement().satisfies(img -> assertThat(img.bytes()).isEqualTo(png));
            assertThat(generated.seed()).isEqualTo(3360388064L);
            assertThat(p.ledger.only().seed()).isEqualTo(3360388064L);
        }
    }

    @Test
    void aimlapiWithSafetyDefaultsAndASeed_sendsThemAll_andTakesTheSpendFromCreditsUsed() {
        try (var fake = new FakeProvider()) {
            // given safety settings configured, base64 asked for, and the schema's meta.usage.credits_used
            fake.thenAnswer(200, fake.documented("aimlapi-usage.json", png));
            var p = Pipeline.withLoopbackFetcher().add(settings("aiml", "aimlapi", fake.base(""), Map.of(
                    "person_generation", "dont_allow",
                    "safety-setting", "block_only_high",
                    "add_watermark", true,
                    "convert_base64_to_url", false)));

            // when the member gives a seed and turns enhancement off
            var outcome = p.run(model("imagen-3", new Route("aiml", "imagen-3.0-generate-002")),
                    "A lighthouse at dusk", "4:3", 1, 4294967295L, false);

            // then
            assertThat(jsonBody(fake.generations.getFirst())).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "model", "imagen-3.0-generate-002",
                    "prompt", "A lighthouse at dusk",
                    "num_images", 1,
                    "aspect_ratio", "4:3",
                    "seed", 4294967295L,
                    "enhance_prompt", false,
                    "convert_base64_to_url", false,
                    "person_generation", "dont_allow",
                    "safety_setting", "block_only_high",
                    "add_watermark", true));
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(p.ledger.only().spend()).isEqualTo(126000.0); // credits_used in aimlapi-usage.json
            assertThat(p.ledger.only().seed()).isEqualTo(4294967295L);
        }
    }

    @Test
    void theTurbo_sendsNAspectAndB64Json_andDecodesEveryImage() {
        try (var fake = new FakeProvider()) {
            // given the page's response example: created, data[{b64_json}, {b64_json}]
            fake.thenAnswer(200, fake.documented("theturbo-google-imagen.json", png));
            var p = Pipeline.withLoopbackFetcher().add(settings("theturbo", "openai", fake.base(""), Map.of()));

            // when
            var outcome = p.run(model("imagen-3", new Route("theturbo", "imagen-3.0-generate-001")),
                    "A cute baby sea otter", "1:1", 2, null, true);

            // then the body has the page's fields, response_format b64_json (the only one it supports)
            RecordedRequest request = fake.generations.getFirst();
            assertDocumentedHeaders(request, "/v1/images/generations");
            assertThat(jsonBody(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "model", "imagen-3.0-generate-001",
                    "prompt", "A cute baby sea otter",
                    "n", 2,
                    "aspect_ratio", "1:1",
                    "response_format", "b64_json",
                    "output_format", "png"));
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(outcome.delivered()).isEqualTo(2);
            assertThat(p.delivery.delivered.getFirst().images())
                    .allSatisfy(img -> assertThat(img.bytes()).isEqualTo(png));
            assertThat(fake.downloads).isEmpty();
            assertThat(p.quota.net()).isEqualTo(2);
        }
    }

    @Test
    void lumenfall_underTheOpenaiBase_sendsSizeAndUrlFormat_downloadsTheImage_andPricesIt() {
        try (var fake = new FakeProvider()) {
            // given Lumenfall's documented answer: created, data[{url, revised_prompt}]
            fake.thenAnswer(200, fake.documented("lumenfall-imagen-3.0-generate-002.json", null))
                    .serve("/lumenfall/output.png", png, "image/png");
            var settings = new ProviderSettings("lumenfall", "openai", fake.base("/openai"), KEY,
                    java.time.Duration.ofSeconds(5), 4, 0.030, Map.of("response_format", "url", "size", "aspect"));
            var p = Pipeline.withLoopbackFetcher().add(settings);

            // when
            var outcome = p.run(model("imagen-3", new Route("lumenfall", "imagen-3.0-generate-002")),
                    "A vibrant, hand-painted wooden sign", "16:9", 1, null, true);

            // then the endpoint is {base}/v1/images/generations under /openai
            RecordedRequest request = fake.generations.getFirst();
            assertDocumentedHeaders(request, "/openai/v1/images/generations");
            assertThat(jsonBody(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "model", "imagen-3.0-generate-002",
                    "prompt", "A vibrant, hand-painted wooden sign",
                    "n", 1,
                    "aspect_ratio", "16:9",
                    "size", "16:9",
                    "response_format", "url",
                    "output_format", "png"));
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            Generated generated = p.delivery.delivered.getFirst();
            assertThat(generated.images()).singleElement().satisfies(img -> assertThat(img.bytes()).isEqualTo(png));
            assertThat(generated.revisedPrompt()).isEqualTo("...");
            assertThat(p.ledger.only().spend()).isEqualTo(0.030);
        }
    }
}
