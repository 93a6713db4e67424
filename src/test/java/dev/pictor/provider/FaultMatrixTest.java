package dev.pictor.provider;

import java.util.Locale;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Refusal;
import dev.pictor.core.Route;
import dev.pictor.testing.TestImages;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.pictor.provider.Pipeline.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix, through the real GenerationService: a primary route (aimlapi dialect) that misbehaves in one
 * way, a backup route (openai dialect) on another fake that works. For each fault: what the member gets (retry,
 * failover, or a clear refusal), the job's terminal state in the ledger, and that the quota keeps exactly the
 * images delivered (the rest refunded once).
 */
class FaultMatrixTest {
    private final byte[] png = TestImages.png(32, 32);
    private final FakeProvider primary = new FakeProvider();
    private final FakeProvider backup = new FakeProvider();
    private final ModelSpec model = Pipeline.model("imagen-3",
            new Route("primary", "imagen-3.0-generate-002"), new Route("backup", "imagen-3.0-generate-002"));

    @AfterEach
    void close() {
        primary.close();
        backup.close();
    }

    private Pipeline pipeline() {
        return pipeline(Pipeline.withLoopbackFetcher(), Duration.ofSeconds(5));
    }

    private Pipeline pipeline(Pipeline p, Duration primaryTimeout) {
        p.add(new ProviderSettings("primary", "aimlapi", primary.base(""), KEY, primaryTimeout, 4, null, Map.of()));
        p.add(Pipeline.settings("backup", "openai", backup.base(""), Map.of()));
        backup.alwaysAnswer(FakeProvider.json(200, b64Answer(4)));
        return p;
    }

    private String b64Answer(int images) {
        var items = new ArrayList<String>();
        for (int i = 0; i < images; i++) items.add("{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}");
        return "{\"created\":1,\"data\":[" + String.join(",", items) + "]}";
    }

    private String urlAnswer(String... urls) {
        var items = new ArrayList<String>();
        for (String u : urls) items.add("{\"url\":\"" + u + "\",\"mime_type\":\"image/png\"}");
        return "{\"data\":[" + String.join(",", items) + "]}";
    }

    private JobOutcome ask(Pipeline p, int count) {
        return p.run(model, "a red fox in the snow", "1:1", count, null, true);
    }

    /** The quota keeps exactly what was delivered; a refund, if any, happened once. */
    private static void assertChargedOnlyForDelivered(Pipeline p, int asked, int delivered) {
        assertThat(p.quota.net()).isEqualTo(delivered);
        assertThat(p.quota.refundCalls.get()).isEqualTo(asked > delivered ? 1 : 0);
        var closing = p.ledger.only();
        assertThat(closing.delivered()).isEqualTo(delivered);
        assertThat(closing.charged() - closing.refunded()).isEqualTo(delivered);
    }

    private void assertServedByBackup(Pipeline p, JobOutcome outcome, int asked) {
        assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(outcome.delivered()).isEqualTo(asked);
        assertThat(backup.generations).hasSize(1);
        assertThat(p.ledger.only().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(p.ledger.only().provider()).isEqualTo("backup");
        assertChargedOnlyForDelivered(p, asked, asked);
    }

    private void assertFailed(Pipeline p, JobOutcome outcome, Refusal.Reason reason, String errorClass, int asked) {
        assertThat(outcome.status()).isEqualTo(JobStatus.FAILED);
        assertThat(outcome.refusal().reason()).isEqualTo(reason);
        assertThat(p.delivery.refusals).singleElement().isEqualTo(outcome.refusal());
        assertThat(p.delivery.delivered).isEmpty();
        assertThat(p.ledger.only().status()).isEqualTo(JobStatus.FAILED);
        assertThat(p.ledger.only().errorClass()).isEqualTo(errorClass);
        assertChargedOnlyForDelivered(p, asked, 0);
    }

    @Nested
    class RequestErrors {
        @Test
        void badRequest400_isRefusedAsInvalid_withoutRetryOrFailover_andFullyRefunded() {
            primary.thenAnswer(400, "{\"message\":\"aspect_ratio must be one of 1:1, 9:16, 16:9, 3:4, 4:3\"}");
            var p = pipeline();

            var outcome = ask(p, 2);

            assertFailed(p, outcome, Refusal.Reason.REQUEST_REJECTED, "rejected-400", 2);
            assertThat(primary.generations).hasSize(1);
            assertThat(backup.generations).isEmpty();
        }

        @Test
        void safetyBlock400_tellsTheMemberTheFilterBlockedIt_withoutFailover() {
            primary.thenAnswer(400, "{\"error\":{\"message\":\"Image generation failed with the following error: "
                    + "The prompt could not be submitted. This prompt contains sensitive words that violate Google's "
                    + "Responsible AI practices. Try rephrasing the prompt.\"}}");
            var p = pipeline();

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.SAFETY_BLOCKED, "content-blocked-400", 1);
            assertThat(backup.generations).isEmpty();
        }

        @Test
        void unknownModel404_failsOverToTheNextRoute() {
            primary.thenAnswer(404, "{\"message\":\"Model imagen-3.0-generate-002 not found\"}");
            var p = pipeline();

            var outcome = ask(p, 1);

            assertThat(primary.generations).hasSize(1);
            assertServedByBackup(p, outcome, 1);
        }
    }

    @ParameterizedTest(name = "HTTP {0} → next route at once")
    @ValueSource(ints = {401, 403})
    void authenticationFailure_goesStraightToTheNextRoute(int status) {
        primary.thenAnswer(status, "{\"error\":\"Unauthorized\"}");
        var p = pipeline();

        var outcome = ask(p, 2);

        assertThat(primary.generations).hasSize(1);
        assertServedByBackup(p, outcome, 2);
    }

    @Nested
    class RateLimits {
        @Test
        void tooManyRequests_withAShortRetryAfter_isRetriedOnTheSameRoute() {
            primary.thenAnswer(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").body("slow down").build())
                    .thenAnswer(200, b64Answer(1));
            var p = pipeline();

            var outcome = ask(p, 1);

            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(primary.generations).hasSize(2);
            assertThat(backup.generations).isEmpty();
            assertThat(p.ledger.only().provider()).isEqualTo("primary");
            assertChargedOnlyForDelivered(p, 1, 1);
        }

        @Test
        void tooManyRequests_withALongRetryAfter_failsOverAtOnce() {
            primary.alwaysAnswer(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
            var p = pipeline();

            var outcome = ask(p, 1);

            assertThat(primary.generations).hasSize(1);
            assertServedByBackup(p, outcome, 1);
        }

        @Test
        void tooManyRequests_onTheOnlyRoute_tellsWhenToComeBack() {
            primary.alwaysAnswer(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
            var p = Pipeline.withLoopbackFetcher()
                    .add(new ProviderSettings("primary", "aimlapi", primary.base(""), KEY, null, 4, null, null));
            var onlyRoute = Pipeline.model("imagen-3", new Route("primary", "imagen-3.0-generate-002"));

            var outcome = p.run(onlyRoute, "a red fox", "1:1", 1, null, true);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "transient-429", 1);
            assertThat(outcome.refusal().retryAfter()).isEqualTo(Duration.ofHours(1));
        }
    }

    @ParameterizedTest(name = "HTTP {0} → the next route at once (it can take the job)")
    @ValueSource(ints = {500, 502, 503})
    void serverError_failsOverAtOnce_whenTheNextRouteCanTakeTheJob(int status) {
        primary.alwaysAnswer(FakeProvider.json(status, "{\"error\":\"upstream failed\"}"));
        var p = pipeline();

        var outcome = ask(p, 3);

        assertThat(primary.generations).as("no retry, no backoff: the backup takes it").hasSize(1);
        assertServedByBackup(p, outcome, 3);
    }

    @Test
    void serverErrorOnEveryRoute_isAClearGatewayDownRefusal_fullyRefunded() {
        primary.alwaysAnswer(FakeProvider.json(503, "{}"));
        var p = pipeline();
        backup.alwaysAnswer(FakeProvider.json(500, "{}"));

        var outcome = ask(p, 2);

        assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "transient-500", 2);
        assertThat(outcome.refusal().message(Locale.ENGLISH)).contains("not answering");
        assertThat(primary.generations).as("handed to the backup at once").hasSize(1);
        assertThat(backup.generations).as("the last route: retried").hasSize(Pipeline.RETRY.attempts());
    }

    @Test
    void timeout_failsOverAtOnce_oneTimeoutNotTwo() {
        primary.alwaysAnswer(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        var p = pipeline(Pipeline.withLoopbackFetcher(), Duration.ofMillis(300));

        var outcome = ask(p, 1);

        assertThat(primary.generations).hasSize(1);
        assertServedByBackup(p, outcome, 1);
    }

    @Test
    void anAnswerWhoseBodyTrickles_pastTheCallTimeout_failsOverAtOnce() {
        // given headers at once, then a valid answer at 64 bytes a second: some 6 s for its body, the timeout 0.5 s
        primary.alwaysAnswer(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(b64Answer(1)).throttleBody(64, 1, java.util.concurrent.TimeUnit.SECONDS).build());
        var p = pipeline(Pipeline.withLoopbackFetcher(), Duration.ofMillis(500));

        var outcome = ask(p, 1);

        // then the timeout covers the whole call, body included (the request's own timeout only waits for headers)
        assertThat(primary.generations).hasSize(1);
        assertServedByBackup(p, outcome, 1);
    }

    @Test
    void anAnswerWithBytesAfterItsJson_leavesTheConnectionForTheNextCall() {
        // given a provider whose answers end with a line break after the JSON, as many servers write them
        primary.alwaysAnswer(FakeProvider.json(200, b64Answer(1) + "\r\n"));
        var p = pipeline();

        // when two jobs ask, one after the other
        assertThat(ask(p, 1).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ask(p, 1).status()).isEqualTo(JobStatus.SUCCEEDED);

        // then the second call went over the first one's connection (no new TCP or TLS handshake per call)
        assertThat(primary.generations).hasSize(2);
        assertThat(primary.generations.get(1).getConnectionIndex()).isEqualTo(primary.generations.get(0).getConnectionIndex());
    }

    @Test
    void aGzipAnswer_isDecoded() {
        var gzipped = new Buffer();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped.outputStream())) {
            out.write(b64Answer(1).getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        primary.alwaysAnswer(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .setHeader("Content-Encoding", "gzip").body(gzipped).build());
        var p = pipeline();

        var outcome = ask(p, 1);

        assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(backup.generations).as("served by the primary").isEmpty();
        assertThat(primary.generations.getFirst().getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void connectionReset_failsOverAtOnce() {
        primary.alwaysAnswer(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build());
        var p = pipeline();

        var outcome = ask(p, 1);

        assertThat(primary.generations).hasSize(1);
        assertServedByBackup(p, outcome, 1);
    }

    @Test
    void connectionDroppedAfterTheGatewayReadThePost_isSentOncePerAttempt_neverRepeatedUnderneath() {
        // given a provider that served one job (its connection is kept alive for the next) and then, for every
        // call, reads the POST, acts on it (and bills it) and drops the connection before answering
        var p = pipeline();
        primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}");
        assertThat(ask(p, 1).status()).isEqualTo(JobStatus.SUCCEEDED);
        primary.alwaysAnswer(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build());
        primary.generations.clear();

        // when a member asks again
        var outcome = ask(p, 1);

        // then the provider got exactly one request for pictor's one attempt there (OkHttp re-sent none; the backup
        // could take the job, so pictor did not retry), and the backup route served the member
        assertThat(primary.generations).hasSize(1);
        assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(backup.generations).hasSize(1);
    }

    @Nested
    class UnusableAnswers {
        @Test
        void nonJson200_isAnUnavailableGateway_soTheNextRouteServes() {
            primary.thenAnswer(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                    .body("<html><body>502 Bad Provider</body></html>").build());
            var p = pipeline();

            var outcome = ask(p, 1);

            assertThat(primary.generations).hasSize(1);
            assertServedByBackup(p, outcome, 1);
        }

        @Test
        void jsonWithoutImages_isAnUnavailableGateway_soTheNextRouteServes() {
            primary.thenAnswer(200, "{\"created\":1589478378,\"status\":\"ok\"}");
            var p = pipeline();

            var outcome = ask(p, 1);

            assertThat(primary.generations).hasSize(1);
            assertServedByBackup(p, outcome, 1);
        }

        @Test
        void anEmptyImageList_meansTheFilterDroppedThemAll_noFailover_fullRefund() {
            primary.thenAnswer(200, "{\"data\":[]}");
            var p = pipeline();

            var outcome = ask(p, 2);

            assertFailed(p, outcome, Refusal.Reason.SAFETY_BLOCKED, "no-images", 2);
            assertThat(backup.generations).isEmpty();
        }

        @Test
        void fewerImagesThanAsked_isAPartialSuccess_andTheMissingOnesAreRefunded() {
            primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}");
            var p = pipeline();

            var outcome = ask(p, 3);

            assertThat(outcome.status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(outcome.delivered()).isEqualTo(1);
            assertThat(p.ledger.only().status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(p.ledger.only().errorClass()).isEqualTo("fewer-images");
            assertThat(backup.generations).isEmpty();
            assertChargedOnlyForDelivered(p, 3, 1);
        }

        @Test
        void oneInvalidBase64Image_isDropped_andRefunded() {
            primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png)
                    + "\"},{\"b64_json\":\"%%% not base64 %%%\"}]}");
            var p = pipeline();

            var outcome = ask(p, 2);

            assertThat(outcome.status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(outcome.delivered()).isEqualTo(1);
            assertChargedOnlyForDelivered(p, 2, 1);
        }

        @Test
        void onlyInvalidBase64_isAnUnavailableGateway_soTheNextRouteServes() {
            primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"%%%\"},{\"b64_json\":\"iVBORw0KGgo===x\"}]}");
            var p = pipeline();

            var outcome = ask(p, 2);

            assertThat(primary.generations).hasSize(1);
            assertServedByBackup(p, outcome, 2);
        }

        @Test
        void base64OfSomethingThatIsNotAnImage_isDropped() {
            String text = Base64.getEncoder().encodeToString("just text".getBytes(StandardCharsets.UTF_8));
            primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + text + "\"}]}");
            var p = pipeline();

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "not-an-image", 1);
        }
    }

    @Nested
    class InlineImagesOverTheCap {
        private final byte[] big = TestImages.noisyPng(20_000, 7);
        private final long cap = big.length - 1;

        /** fetch.max-bytes = {@code cap}, for downloads and inline images alike (as Services wires it). */
        private Pipeline cappedPipeline() {
            var p = new Pipeline(new HttpImageFetcher(Pipeline.HTTP, cap, List.of("127.0.0.1")), Pipeline.RETRY);
            p.add(new ProviderSettings("primary", "aimlapi", primary.base(""), KEY, Duration.ofSeconds(5), 4, null, Map.of()), cap);
            p.add(Pipeline.settings("backup", "openai", backup.base(""), Map.of()));
            backup.alwaysAnswer(FakeProvider.json(200, b64Answer(4)));
            return p;
        }

        private String inline(byte[]... images) {
            var items = new ArrayList<String>();
            for (byte[] i : images) items.add("{\"b64_json\":\"" + Base64.getEncoder().encodeToString(i) + "\"}");
            return "{\"data\":[" + String.join(",", items) + "]}";
        }

        @Test
        void oneInlineImageOverMaxBytes_isRefusedLikeADownload_theMemberGetsTheOther_andIsChargedForOne() {
            // given fetch.max-bytes just under one of the two images the provider sends inline
            assertThat((long) png.length).isLessThan(cap);
            primary.thenAnswer(200, inline(png, big));
            var p = cappedPipeline();

            var outcome = ask(p, 2);

            assertThat(outcome.status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(p.delivery.delivered.getFirst().images()).hasSize(1);
            assertThat(p.delivery.delivered.getFirst().images().getFirst().bytes()).isEqualTo(png);
            assertThat(p.ledger.only().errorClass()).isEqualTo("fetch-rejected");
            assertThat(backup.generations).isEmpty();
            assertChargedOnlyForDelivered(p, 2, 1);
        }

        @Test
        void everyInlineImageOverMaxBytes_failsWithCouldNotBeRetrieved_nothingCharged() {
            primary.thenAnswer(200, inline(big, big));
            var p = cappedPipeline();

            var outcome = ask(p, 2);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 2);
            assertThat(outcome.refusal().message(Locale.ENGLISH)).contains("could not be retrieved");
            assertThat(backup.generations).isEmpty();
        }

        @Test
        void anInlineImageOverMaxBytesWithAUrlToo_isDownloadedUnderTheSameCap() {
            primary.serve("/big.png", big, "image/png");
            primary.thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(big)
                    + "\",\"url\":\"" + primary.base("/big.png") + "\"}]}");
            var p = cappedPipeline();

            var outcome = ask(p, 1);

            assertThat(primary.downloads).hasSize(1);
            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 1);
        }

        @Test
        void anAnswerFarLongerThanItsImagesCouldBe_isRefusedBeforeItIsRead_andTheNextRouteServes() {
            // given an answer declaring 64 MB for one image of at most max-bytes
            var huge = new Buffer();
            huge.writeUtf8("{\"data\":[{\"b64_json\":\"");
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'A');
            for (int i = 0; i < 64; i++) huge.write(chunk);
            huge.writeUtf8("\"}]}");
            primary.thenAnswer(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(huge).build());
            var p = cappedPipeline();

            var outcome = ask(p, 1);

            assertServedByBackup(p, outcome, 1);
            assertThat(primary.generations).hasSize(1);
        }

        @Test
        void aChunkedAnswerThatGoesOnPastItsLimit_isCutOff_andTheNextRouteServes() {
            var huge = new Buffer();
            huge.writeUtf8("{\"data\":[{\"url\":\"x\"}],\"padding\":[");
            for (int i = 0; i < 400_000; i++) huge.writeUtf8("0,0,0,0,");
            huge.writeUtf8("0]}");
            primary.thenAnswer(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .chunkedBody(huge, 64 * 1024).build());
            var p = cappedPipeline();

            var outcome = ask(p, 1);

            assertServedByBackup(p, outcome, 1);
        }
    }

    @Nested
    class Downloads {
        @Test
        void imageUrl404_dropsThatImage_andRefundsIt() {
            primary.thenAnswer(200, urlAnswer(primary.base("/gone.png")));
            var p = pipeline();

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected-404", 1);
            assertThat(primary.downloads).hasSize(1);
            assertThat(backup.generations).isEmpty();
        }

        @Test
        void oneOfTwoUrls404_isAPartialSuccess() {
            primary.serve("/ok.png", png, "image/png")
                    .thenAnswer(200, urlAnswer(primary.base("/ok.png"), primary.base("/gone.png")));
            var p = pipeline();

            var outcome = ask(p, 2);

            assertThat(outcome.status()).isEqualTo(JobStatus.PARTIAL);
            assertThat(p.ledger.only().errorClass()).isEqualTo("fetch-rejected-404");
            assertChargedOnlyForDelivered(p, 2, 1);
        }

        @Test
        void urlToTheCloudMetadataAddress_isNeverFetched() {
            primary.thenAnswer(200, urlAnswer("http://169.254.169.254/latest/meta-data/iam/security-credentials/"));
            var p = pipeline(new Pipeline(new HttpImageFetcher(Pipeline.HTTP), Pipeline.RETRY), Duration.ofSeconds(5));

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 1);
        }

        @Test
        void urlToAPrivateNetworkAddress_isNeverFetched() {
            primary.thenAnswer(200, urlAnswer("http://10.0.0.1/image.png"));
            var p = pipeline(new Pipeline(new HttpImageFetcher(Pipeline.HTTP), Pipeline.RETRY), Duration.ofSeconds(5));

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 1);
        }

        @Test
        void urlWhoseHostResolvesToLoopback_isNotContacted_withoutAnAllowList() {
            primary.serve("/img.png", png, "image/png")
                    .thenAnswer(200, urlAnswer("http://localhost:" + primary.server.getPort() + "/img.png"));
            var p = pipeline(new Pipeline(new HttpImageFetcher(Pipeline.HTTP), Pipeline.RETRY), Duration.ofSeconds(5));

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 1);
            assertThat(primary.downloads).isEmpty();
        }

        @Test
        void oversizedImage_isRefused_andRefunded() {
            byte[] big = TestImages.noisyPng(60_000, 7);
            primary.serve("/big.png", big, "image/png").thenAnswer(200, urlAnswer(primary.base("/big.png")));
            var small = new HttpImageFetcher(Pipeline.HTTP, 20_000, List.of("127.0.0.1"));
            var p = pipeline(new Pipeline(small, Pipeline.RETRY), Duration.ofSeconds(5));

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "fetch-rejected", 1);
        }

        @Test
        void nonImageBytesAtTheUrl_areDropped() {
            primary.serve("/page.png", new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png")
                            .body(new Buffer().writeUtf8("<html>Access denied</html>")).build())
                    .thenAnswer(200, urlAnswer(primary.base("/page.png")));
            var p = pipeline();

            var outcome = ask(p, 1);

            assertFailed(p, outcome, Refusal.Reason.PROVIDER_DOWN, "not-an-image", 1);
        }
    }
}
