package dev.pictor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The AI/ML API on MockWebServer, for the real {@code aimlapi} provider in both adapters' tests:
 * {@code POST /v1/images/generations} is recorded ({@link #calls}) and answered in one of the API's documented
 * shapes, with as many images as {@code num_images} asked, unless a test sets another {@link Behaviour}:
 * <ul>
 *   <li>{@link #withImageUrls()}: the documented Imagen 3.0 answer ({@code providers/aimlapi-imagen-3.0-generate-002.json}:
 *       {@code data[]{mime_type, url, prompt}}), its item repeated once per image, the images served by this fake
 *       behind those URLs;</li>
 *   <li>{@link #withInlineImages()}: {@code data[]{b64_json, mime_type, prompt}} with "an enhanced " + the prompt,
 *       and {@code meta.usage.credits_used}.</li>
 * </ul>
 * {@link #reset()} goes back to the shape the fake was made with.
 */
public final class AimlApiFake implements AutoCloseable {
    /** What the API was asked, read from the request body. */
    public record Asked(String model, String prompt, int count, String aspect, Long seed, JsonNode body) {
    }

    /** How the fake answers a generation. */
    @FunctionalInterface
    public interface Behaviour {
        MockResponse answer(Asked asked) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENERATIONS = "/v1/images/generations";

    /** Every generation request, in order. */
    public final List<Asked> calls = new CopyOnWriteArrayList<>();
    private final MockWebServer server = new MockWebServer();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final boolean urls;
    private final JsonNode documented;
    private volatile Behaviour behaviour;
    private volatile Duration delay = Duration.ZERO;
    private volatile Integer imagesReturned;
    private volatile byte[] image = TestImages.png(96, 64);

    private AimlApiFake(boolean urls) {
        this.urls = urls;
        try (InputStream in = AimlApiFake.class.getResourceAsStream("/providers/aimlapi-imagen-3.0-generate-002.json")) {
            documented = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        behaviour = defaultBehaviour();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return AimlApiFake.this.dispatch(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers with the documented Imagen 3.0 response: image URLs this fake serves. */
    public static AimlApiFake withImageUrls() {
        return new AimlApiFake(true);
    }

    /** Answers with the images inline ({@code b64_json}), each a small real PNG. */
    public static AimlApiFake withInlineImages() {
        return new AimlApiFake(false);
    }

    /** The provider's base URL. */
    public String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** Back to the default answer with as many images as asked; forgets the calls. */
    public void reset() {
        calls.clear();
        delay = Duration.ZERO;
        imagesReturned = null;
        image = TestImages.png(96, 64);
        behaviour = defaultBehaviour();
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    /** Fails every generation with {@code status}, as an overloaded API does. */
    public void failWith(int status) {
        behave(asked -> json(status, "{\"message\":\"Service temporarily unavailable\"}"));
    }

    /** Answers generations only after {@code d}, as a busy API would. */
    public void answerAfter(Duration d) {
        delay = d;
    }

    /** Answers {@code n} images whatever was asked. */
    public void returnImages(int n) {
        imagesReturned = n;
    }

    /** Serves these bytes behind the image URLs (the URL answer). */
    public void serveImage(byte[] bytes) {
        image = bytes;
    }

    /** The revised prompt the documented URL answer carries. */
    public String documentedPrompt() {
        return documented.path("data").get(0).path("prompt").asText();
    }

    /** The inline answer, with {@code count} small real PNGs. */
    public static MockResponse pictures(int count, String prompt) {
        byte[][] images = new byte[count][];
        for (int i = 0; i < count; i++) images[i] = TestImages.png(64 + i, 64);
        return answer(prompt, images);
    }

    /** The inline answer carrying exactly these bytes as the images. */
    public static MockResponse answer(String prompt, byte[]... images) {
        ObjectNode root = JSON.createObjectNode();
        var data = root.putArray("data");
        for (byte[] img : images) {
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(img)).put("mime_type", "image/png")
                    .put("prompt", "an enhanced " + prompt);
        }
        root.putObject("meta").putObject("usage").put("credits_used", 126000 * images.length);
        return json(200, root.toString());
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    /**
     * Bytes that pass as a PNG of {@code width}×{@code height} (only the header is read), padded to
     * {@code totalBytes}: an oversized image without encoding one.
     */
    public static byte[] pngHeader(int width, int height, int totalBytes) {
        byte[] b = new byte[Math.max(totalBytes, 33)];
        byte[] head = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(head, 0, b, 0, head.length);
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(width).putInt(height);
        return b;
    }

    private Behaviour defaultBehaviour() {
        return urls ? this::urlAnswer : asked -> pictures(count(asked), asked.prompt());
    }

    private int count(Asked asked) {
        return imagesReturned != null ? imagesReturned : asked.count();
    }

    private MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (!"POST".equals(request.getMethod()) || !path.equals(GENERATIONS)) {
            byte[] file = files.get(path);
            return file == null ? json(404, "{\"error\":\"not found\"}")
                    : new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png").body(new Buffer().write(file)).build();
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return json(400, "{\"message\":\"bad json\"}");
        }
        var asked = new Asked(body.path("model").asText(), body.path("prompt").asText(), body.path("num_images").asInt(1),
                body.path("aspect_ratio").asText(null), body.hasNonNull("seed") ? body.path("seed").asLong() : null, body);
        calls.add(asked);
        try {
            return behaviour.answer(asked);
        } catch (Exception e) {
            return json(500, "{\"error\":\"fake AI/ML API: " + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The documented Imagen 3.0 answer, its item once per image, each URL a file this fake serves. */
    private MockResponse urlAnswer(Asked asked) {
        ObjectNode out = documented.deepCopy();
        ArrayNode data = out.putArray("data");
        JsonNode item = documented.path("data").get(0);
        for (int k = 0; k < count(asked); k++) {
            String file = "/generations/" + calls.size() + "-" + k + ".png";
            files.put(file, image);
            ObjectNode copy = item.deepCopy();
            copy.put("url", baseUrl() + file);
            data.add(copy);
        }
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).body(out.toString()).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
