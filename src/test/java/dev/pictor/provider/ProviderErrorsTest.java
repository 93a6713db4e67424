package dev.pictor.provider;

import dev.pictor.core.port.ProviderException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderErrorsTest {
    private static final String KEY = "sk-live-abcdefghijklmnopqrstuvwxyz0123";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @ParameterizedTest(name = "HTTP {0} → {1}")
    @CsvSource({
            "400, REJECTED", "404, REJECTED", "409, REJECTED", "413, REJECTED", "422, REJECTED",
            "401, UNAVAILABLE", "402, UNAVAILABLE", "403, UNAVAILABLE",
            "408, TRANSIENT", "429, TRANSIENT", "500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT",
            "302, UNAVAILABLE",
    })
    void eachStatusHasOneKind(int status, Kind kind) {
        var e = ProviderErrors.fromStatus("gw", status, null, null, "{\"error\":\"something\"}", KEY, NOW);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).startsWith("gw: HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"error\":{\"message\":\"Your request was rejected as a result of our safety system.\",\"code\":\"content_policy_violation\"}}",
            "{\"error\":{\"code\":\"moderation_blocked\",\"message\":\"Request blocked\"}}",
            "Image generation failed: The prompt could not be submitted. This prompt contains sensitive words that violate Google's Responsible AI practices.",
            "{\"message\":\"Your current safety settings for person/face generation prohibited the images from being generated\"}",
            "{\"detail\":\"The prompt was blocked by the content filter\"}",
            "{\"error\":\"All images were filtered out because they violated Vertex AI's usage guidelines. raiMediaFilteredReasons\"}",
            "{\"error\":{\"message\":\"NSFW content detected\"}}",
    })
    void aSafetyRefusalIsContentBlocked(String body) {
        assertThat(ProviderErrors.fromStatus("gw", 400, null, null, body, KEY, NOW).kind()).isEqualTo(Kind.CONTENT_BLOCKED);
        assertThat(ProviderErrors.fromStatus("gw", 422, null, null, body, KEY, NOW).kind()).isEqualTo(Kind.CONTENT_BLOCKED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"message\":\"safety_setting must be one of block_low_and_above, block_medium_and_above, block_only_high\"}",
            "{\"message\":\"prompt must be shorter than or equal to 400 characters\"}",
            "{\"error\":{\"message\":\"Invalid value for n: must be between 1 and 4\"}}",
    })
    void anOrdinaryRequestErrorIsRejected(String body) {
        assertThat(ProviderErrors.fromStatus("gw", 400, null, null, body, KEY, NOW).kind()).isEqualTo(Kind.REJECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"message\":\"Model imagen-3.0-generate-002 not found\"}",
            "{\"error\":{\"message\":\"The model `imagen-4.0-generate-001` does not exist or you do not have access to it.\"}}",
            "{\"error\":\"unsupported model: imagen-3.0-fast-generate-001\"}",
            "{\"error\":\"This model has been discontinued. Use gemini-2.5-flash-image.\"}",
    })
    void aRetiredOrUnknownModelLetsTheNextRouteTry(String body) {
        assertThat(ProviderErrors.fromStatus("gw", 404, null, null, body, KEY, NOW).kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void retryAfterIsReadInSecondsOrAsAnHttpDate() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(5).atOffset(ZoneOffset.UTC));

        assertThat(ProviderErrors.retryAfter("120", null, NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(ProviderErrors.retryAfter(" 1.5 ", null, NOW)).isEqualTo(Duration.ofMillis(1500));
        assertThat(ProviderErrors.retryAfter(in90s, null, NOW)).isEqualTo(Duration.ofSeconds(90));
        assertThat(ProviderErrors.retryAfter(past, null, NOW)).isEqualTo(Duration.ZERO);
        assertThat(ProviderErrors.retryAfter("soon", null, NOW)).isNull();
        assertThat(ProviderErrors.retryAfter("-3", null, NOW)).isNull();
        assertThat(ProviderErrors.retryAfter(null, null, NOW)).isNull();
        assertThat(ProviderErrors.retryAfter("120", "250", NOW)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void rateLimitAndUnavailableCarryTheirRetryAfter_otherStatusesDoNot() {
        assertThat(ProviderErrors.fromStatus("gw", 429, "7", null, "", KEY, NOW).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ProviderErrors.fromStatus("gw", 503, "3", null, "", KEY, NOW).retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ProviderErrors.fromStatus("gw", 500, "3", null, "", KEY, NOW).retryAfter()).isNull();
    }

    @Test
    void theSnippetIsShortOneLineAndWithoutSecrets() {
        String body = "{\n  \"error\": \"Invalid API key " + KEY + "\",\n  \"echo\": \"Authorization: Bearer abc.def-123\",\n"
                + "  \"other\": \"sk-proj-ZZZZZZZZZZZZZZZZ\" }" + " padding".repeat(100);

        var e = ProviderErrors.fromStatus("gw", 401, null, null, body, KEY, NOW);

        assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("abc.def-123").doesNotContain("ZZZZZZZZ")
                .doesNotContain("\n").contains("Invalid API key ***").contains("Bearer ***").endsWith("…");
        assertThat(e.getMessage().length()).isLessThan(260);
    }

    @Test
    void theJdkClientsTimeouts_andAnUnresolvedHost_areNamedAsSuch() {
        var headers = ProviderErrors.fromIOException("gw", new java.net.http.HttpTimeoutException("request timed out"), KEY);
        var body = ProviderErrors.fromIOException("gw", new java.io.IOException("closed",
                new java.net.http.HttpTimeoutException("gw: no complete answer within 500 ms")), KEY);
        var connect = ProviderErrors.fromIOException("gw", new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"), KEY);
        var unresolved = new java.net.ConnectException();
        unresolved.initCause(new java.nio.channels.UnresolvedAddressException());

        assertThat(List.of(headers, body, connect)).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("timed out");
        });
        assertThat(ProviderErrors.fromIOException("gw", unresolved, KEY).getMessage()).contains("host not found");
    }

    @Test
    void transportFailuresAreTransient() {
        var timeout = ProviderErrors.fromIOException("gw", new SocketTimeoutException("Read timed out"), KEY);
        var refused = ProviderErrors.fromIOException("gw", new ConnectException("Failed to connect to /10.0.0.9:443"), KEY);
        var reset = ProviderErrors.fromIOException("gw", new IOException("Connection reset"), KEY);

        assertThat(timeout.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(timeout.getMessage()).contains("timed out");
        assertThat(refused.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(refused.getMessage()).contains("connection refused");
        assertThat(reset.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(reset.status()).isZero();
    }

    @ParameterizedTest(name = "download HTTP {0} → {1}")
    @CsvSource({"404, REJECTED", "403, REJECTED", "410, REJECTED", "429, TRANSIENT", "500, TRANSIENT", "503, TRANSIENT"})
    void downloadStatusesAreClassified(int status, Kind kind) {
        assertThat(ProviderErrors.fromFetchStatus(status, "https://cdn.test/a.png?sig=s3cr3t", "").kind()).isEqualTo(kind);
        assertThat(ProviderErrors.fromFetchStatus(status, "https://cdn.test/a.png?sig=s3cr3t", "").getMessage())
                .contains("https://cdn.test/a.png").doesNotContain("s3cr3t");
    }
}
