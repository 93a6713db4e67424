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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;

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
 * <p><b>Waiting.</b> The call goes through the JDK's non-blocking {@link HttpClient} ({@link HttpClients#forProviders()}):
 * while the provider works, the job's virtual thread parks on the call's future with a shallow stack, and no socket
 * read (nor its buffer) is pending on it; the body is read once its headers came. Timeouts: the client's connect
 * timeout; the provider's {@code timeout} for the whole call, headers ({@link HttpRequest#timeout}) and body
 * ({@link DeadlineBodies}) alike. A gzip answer is decoded (the limits apply to the decoded bytes).
 *
 * <p><b>No hidden repeats.</b> The JDK client never re-sends a POST once it may have reached the provider (it only
 * retries a connection that could not be opened, or an HTTP/2 stream the provider declared unprocessed): the provider
 * may have acted and billed.
 * Only the core's retry policy repeats a call.
 */
public final class ProviderHttp {
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
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
    private final ProviderClient client;
    private final HttpUrl endpoint;
    private final URI uri;
    private final Clock clock;
    private final long maxImageBytes;

    /** With the default image cap ({@link HttpImageFetcher#DEFAULT_MAX_BYTES}). */
    public ProviderHttp(ProviderSettings settings, ProviderClient http, Clock clock) {
        this(settings, http, clock, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxImageBytes the largest image kept ({@code fetch.max-bytes}), inline as downloaded
     */
    public ProviderHttp(ProviderSettings settings, ProviderClient http, Clock clock, long maxImageBytes) {
        if (!settings.hasApiKey()) throw new IllegalArgumentException(settings.keyPath("api-key") + " is not set");
        if (maxImageBytes < 1 || maxImageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxImageBytes out of range: " + maxImageBytes);
        }
        this.settings = settings;
        this.clock = clock;
        this.maxImageBytes = maxImageBytes;
        this.endpoint = settings.generationsUrl();
        this.uri = endpoint.uri();
        this.client = http;
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
        HttpRequest request = HttpRequest.newBuilder(uri)
                // HTTP/2 where TLS can negotiate it, as OkHttp did; never the cleartext h2c upgrade
                .version(endpoint.isHttps() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .timeout(settings.timeout()) // until the answer's headers; the body's share: the deadline below
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "pictor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        long started = System.nanoTime();
        var deadline = new CompletableFuture<Void>();
        var bodies = new DeadlineBodies(settings.name(), settings.timeout(), deadline);
        try {
            // The job's thread parks here, on a future, while the client's selector waits for the answer: no
            // blocked socket read, no read buffer, a shallow stack.
            HttpResponse<InputStream> response = await(client.get().sendAsync(request, bodies));
            try (InputStream raw = response.body()) {
                return read(response, raw, type, images, started);
            }
        } catch (IOException e) {
            throw ProviderErrors.fromIOException(settings.name(), e, settings.apiKey());
        } finally {
            deadline.complete(null); // the call is over: cancels its timer
        }
    }

    private <T> Answer<T> read(HttpResponse<?> response, InputStream raw, Class<T> type, int images, long started)
            throws IOException, ProviderException {
        int status = response.statusCode();
        log.debug("{}: POST {} → {} in {} ms", settings.name(), endpoint.encodedPath(), status,
                (System.nanoTime() - started) / 1_000_000);
        boolean gzip = response.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
        InputStream decoded = gzip ? new GZIPInputStream(raw) : raw;
        if (status / 100 != 2) {
            throw ProviderErrors.fromStatus(settings.name(), status, header(response, "Retry-After"),
                    header(response, "retry-after-ms"), Bodies.readSome(decoded, ProviderErrors.ERROR_BODY_LIMIT),
                    settings.apiKey(), clock.instant());
        }
        long limit = maxAnswerBytes(images);
        long declared = gzip ? -1 : response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limit) {
            throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is " + declared
                    + " bytes long, over the " + limit + " byte limit for " + images + " image(s)", null, null);
        }
        T value;
        String head;
        try {
            InputStream capped = Bodies.cappedStream(decoded, limit);
            byte[] start = capped.readNBytes(ProviderErrors.ERROR_BODY_LIMIT);
            head = new String(start, StandardCharsets.UTF_8);
            try (JsonParser parser = MAPPER.createParser(new SequenceInputStream(new ByteArrayInputStream(start), capped))) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                            settings.apiKey());
                }
                value = MAPPER.readerFor(type).withAttribute(InlineImage.MAX_BYTES, maxImageBytes).readValue(parser);
            } catch (StreamReadException notJson) {
                if (notJson.getCause() instanceof Bodies.TooLarge tooLarge) {
                    throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is over the " + tooLarge.limit
                            + " byte limit for " + images + " image(s)", null, null);
                }
                if (notJson.getCause() instanceof IOException io && !(io instanceof StreamReadException)) throw io;
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                        settings.apiKey());
            } catch (JsonProcessingException wrongShape) {
                throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer does not have the documented shape",
                        head, settings.apiKey());
            }
        } catch (Bodies.TooLarge e) {
            throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is over the " + limit
                    + " byte limit for " + images + " image(s)", null, null);
        }
        if (value == null) {
            throw ProviderErrors.unusableAnswer(settings.name(), status, "the answer is not a JSON object", head,
                    settings.apiKey());
        }
        return new Answer<>(status, value, head);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The answer's headers, or the call's failure as the IOException it is; an interrupt cancels the call. */
    private static <R> R await(CompletableFuture<R> call) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            var interrupted = new InterruptedIOException("interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new IOException(cause);
        }
    }

    /** The failure for a 2xx answer without images where images were due. */
    public ProviderException unusable(Answer<?> answer, String problem) {
        return ProviderErrors.unusableAnswer(settings.name(), answer.status(), problem, answer.text(), settings.apiKey());
    }
}
