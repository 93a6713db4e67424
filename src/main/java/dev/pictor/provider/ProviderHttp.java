package dev.pictor.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pictor.core.port.ProviderException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;

/**
 * What both dialects share: POST a JSON body to {@code {base}/v1/images/generations} with the Bearer key, read the
 * answer with bounds, and turn every failure into a {@link ProviderException} through {@link ProviderErrors}.
 * The dialects only build their request and declare their answer's wire record.
 *
 * <p><b>Memory.</b> The answer is read as a stream straight into the dialect's wire record: never held whole, never
 * as a tree. Inline images ({@code b64_json}, declared as {@link InlineImage}) are decoded from the stream into at
 * most {@code maxImageBytes} bytes each; a bigger one is counted to its end and dropped. The answer as a whole may
 * be at most {@link #maxAnswerBytes(int) images × base64(maxImageBytes)} plus {@value #ANSWER_SLACK_BYTES} bytes: a
 * Content-Length above that is refused before anything is read, a longer body as soon as it goes over. Other strings
 * (URLs, prompts) may be at most {@value #MAX_STRING_CHARS} characters. One mapper and its buffer pool serve every
 * call.
 *
 * <p><b>No hidden repeats.</b> The client never re-sends the POST after a connection failure
 * ({@code retryOnConnectionFailure(false)}, whatever the shared client says): the provider may have acted and billed.
 * Only the core's retry policy repeats a call.
 */
public final class ProviderHttp {
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");
    /** Room in an answer for everything that is not image data (JSON, URLs, prompts, metadata). */
    public static final long ANSWER_SLACK_BYTES = 1L << 20;
    /** The longest string other than an inline image an answer may hold. */
    public static final int MAX_STRING_CHARS = 1 << 20;

    // One mapper, and one pool of parser buffers shared by every (virtual) thread: a thread-local pool would give
    // each short-lived virtual thread buffers of its own.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_STRING_CHARS)
                            .build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ProviderSettings settings;
    private final OkHttpClient client;
    private final HttpUrl endpoint;
    private final Clock clock;
    private final long maxImageBytes;

    /** With the default image cap ({@link HttpImageFetcher#DEFAULT_MAX_BYTES}). */
    public ProviderHttp(ProviderSettings settings, OkHttpClient http, Clock clock) {
        this(settings, http, clock, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxImageBytes the largest image kept ({@code fetch.max-bytes}), inline as downloaded
     */
    public ProviderHttp(ProviderSettings settings, OkHttpClient http, Clock clock, long maxImageBytes) {
        if (!settings.hasApiKey()) throw new IllegalArgumentException(settings.keyPath("api-key") + " is not set");
        if (maxImageBytes < 1 || maxImageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxImageBytes out of range: " + maxImageBytes);
        }
        this.settings = settings;
        this.clock = clock;
        this.maxImageBytes = maxImageBytes;
        this.endpoint = settings.generationsUrl();
        this.client = http.newBuilder()
                .callTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .retryOnConnectionFailure(false)
                .build();
    }

    /** The mapper for the dialects' wire records (unknown properties ignored). */
    public static ObjectMapper json() {
        return MAPPER;
    }

    public String provider() {
        return settings.name();
    }

    public HttpUrl endpoint() {
        return endpoint;
    }

    /** The largest image kept, in bytes. */
    public long maxImageBytes() {
        return maxImageBytes;
    }

    /** The longest answer accepted for a call asking for {@code images} images. */
    public long maxAnswerBytes(int images) {
        long base64 = (maxImageBytes + 2) / 3 * 4;
        return Math.max(1, images) * base64 + ANSWER_SLACK_BYTES;
    }

    /** A 2xx answer read into the dialect's wire record, with its status and its start for error messages. */
    public record Answer<T>(int status, T value, String head) {
        public String text() {
            return head;
        }
    }

    /**
     * POSTs {@code body} as JSON for a call asking for {@code images} images; returns the 2xx answer read as
     * {@code type}, or throws the mapped failure.
     */
    public <T> Answer<T> post(Object body, Class<T> type, int images) throws ProviderException {
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
            ResponseBody responseBody = response.body();
            if (!response.isSuccessful()) {
                throw ProviderErrors.fromStatus(settings.name(), status, response.header("Retry-After"),
                        response.header("retry-after-ms"), Bodies.readSome(responseBody, ProviderErrors.ERROR_BODY_LIMIT),
                        settings.apiKey(), clock.instant());
            }
            long limit = maxAnswerBytes(images);
            long declared = responseBody.contentLength();
            if (declared > limit) {
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is " + declared
                        + " bytes long, over the " + limit + " byte limit for " + images + " image(s)", null, null);
            }
            String head = Bodies.peek(responseBody, ProviderErrors.ERROR_BODY_LIMIT);
            T value;
            try (JsonParser parser = MAPPER.createParser(Bodies.cappedStream(responseBody, limit))) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                            settings.apiKey());
                }
                value = MAPPER.readerFor(type).withAttribute(InlineImage.MAX_BYTES, maxImageBytes).readValue(parser);
            } catch (Bodies.TooLarge e) {
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is over the " + limit
                        + " byte limit for " + images + " image(s)", null, null);
            } catch (StreamReadException notJson) {
                if (notJson.getCause() instanceof Bodies.TooLarge tooLarge) {
                    throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is over the " + tooLarge.limit
                            + " byte limit for " + images + " image(s)", null, null);
                }
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                        settings.apiKey());
            } catch (JsonProcessingException wrongShape) {
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer does not have the documented shape",
                        head, settings.apiKey());
            }
            if (value == null) {
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                        settings.apiKey());
            }
            return new Answer<>(status, value, head);
        } catch (IOException e) {
            throw ProviderErrors.fromIOException(settings.name(), e, settings.apiKey());
        }
    }

    /** The failure for a 2xx answer without images where images were due. */
    public ProviderException unusable(Answer<?> answer, String problem) {
        return ProviderErrors.unusableAnswer(settings.name(), answer.status(), problem, answer.text(), settings.apiKey());
    }
}
