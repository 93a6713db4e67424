package dev.pictor.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pictor.core.port.GatewayException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * What both dialects share: POST a JSON body to {@code {base}/v1/images/generations} with the Bearer key, read the
 * answer with a size cap, and turn every failure into a {@link GatewayException} through {@link GatewayErrors}.
 * The dialects only build their request and read their answer.
 */
public final class GatewayHttp {
    private static final Logger log = LoggerFactory.getLogger(GatewayHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");
    /** Four base64 images of up to ~20 MB each fit; anything longer is not an answer we want in memory. */
    public static final long MAX_ANSWER_BYTES = 128L * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) MAX_ANSWER_BYTES)
                            .build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ProviderSettings settings;
    private final OkHttpClient client;
    private final HttpUrl endpoint;
    private final Clock clock;

    public GatewayHttp(ProviderSettings settings, OkHttpClient http, Clock clock) {
        if (!settings.hasApiKey()) throw new IllegalArgumentException(settings.keyPath("api-key") + " is not set");
        this.settings = settings;
        this.clock = clock;
        this.endpoint = settings.generationsUrl();
        this.client = http.newBuilder()
                .callTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .build();
    }

    /** The mapper for the dialects' wire records (unknown properties ignored, long strings allowed). */
    public static ObjectMapper json() {
        return MAPPER;
    }

    public String provider() {
        return settings.name();
    }

    public HttpUrl endpoint() {
        return endpoint;
    }

    /** An answer that parsed as a JSON object, with its status and its text for error messages. */
    public record Answer(int status, JsonNode json, byte[] raw) {
        public String text() {
            int n = Math.min(raw.length, GatewayErrors.ERROR_BODY_LIMIT);
            return new String(raw, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** POSTs {@code body} as JSON; returns the 2xx answer parsed as a JSON object, or throws the mapped failure. */
    public Answer post(Object body) throws GatewayException {
        byte[] payload;
        try {
            payload = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + settings.dialect() + " request", e);
        }
        Request request = new Request.Builder()
                .url(endpoint)
                .post(RequestBody.create(payload, JSON))
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Accept", "application/json")
                .header("User-Agent", "pictor")
                .build();
        long started = System.nanoTime();
        try (Response response = client.newCall(request).execute()) {
            int status = response.code();
            log.debug("{}: POST {} → {} in {} ms", settings.name(), endpoint.encodedPath(), status,
                    (System.nanoTime() - started) / 1_000_000);
            if (!response.isSuccessful()) {
                throw GatewayErrors.fromStatus(settings.name(), status, response.header("Retry-After"),
                        response.header("retry-after-ms"), Bodies.readSome(response.body(), GatewayErrors.ERROR_BODY_LIMIT),
                        settings.apiKey(), clock.instant());
            }
            byte[] raw;
            try {
                raw = Bodies.readCapped(response.body(), MAX_ANSWER_BYTES);
            } catch (Bodies.TooLarge e) {
                throw GatewayErrors.unusableAnswer(settings.name(), status, "the answer is over " + MAX_ANSWER_BYTES + " bytes", null, null);
            }
            JsonNode json;
            try {
                json = MAPPER.readTree(raw);
            } catch (IOException notJson) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                throw GatewayErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object",
                        new String(raw, 0, Math.min(raw.length, GatewayErrors.ERROR_BODY_LIMIT), StandardCharsets.UTF_8),
                        settings.apiKey());
            }
            return new Answer(status, json, raw);
        } catch (IOException e) {
            throw GatewayErrors.fromIOException(settings.name(), e, settings.apiKey());
        }
    }

    /** Reads a parsed answer into a dialect's wire record; a shape that does not fit is an unusable answer. */
    public <T> T read(Answer answer, Class<T> type) throws GatewayException {
        try {
            return MAPPER.treeToValue(answer.json(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw GatewayErrors.unusableAnswer(settings.name(), answer.status(), "the answer does not have the documented shape",
                    answer.text(), settings.apiKey());
        }
    }

    /** The failure for a 2xx answer without images where images were due. */
    public GatewayException unusable(Answer answer, String problem) {
        return GatewayErrors.unusableAnswer(settings.name(), answer.status(), problem, answer.text(), settings.apiKey());
    }
}
