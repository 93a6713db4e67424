package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The AIML API on MockWebServer, answering {@code POST /v1/images/generations} with the documented Imagen 3.0
 * response ({@code gateways/aimlapi-imagen-3.0-generate-002.json}: {@code data[]{mime_type, url, prompt}}), its
 * item repeated once per image asked for, and serving the images behind those URLs. A test can make it answer
 * fewer images, fail with a status, or serve other image bytes.
 */
final class AimlApiFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final JsonNode documented;
    private volatile int failWith;
    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private volatile Integer imagesReturned;
    private volatile byte[] image = TestImages.png(96, 64);

    AimlApiFake() {
        try (InputStream in = AimlApiFake.class.getResourceAsStream("/gateways/aimlapi-imagen-3.0-generate-002.json")) {
            documented = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** Back to the documented answer with as many images as asked. */
    void reset() {
        requests.clear();
        failWith = 0;
        delay = java.time.Duration.ZERO;
        imagesReturned = null;
        image = TestImages.png(96, 64);
    }

    void failWith(int status) {
        failWith = status;
    }

    /** Answers generations only after {@code d}, as a busy gateway would. */
    void answerAfter(java.time.Duration d) {
        delay = d;
    }

    void returnImages(int n) {
        imagesReturned = n;
    }

    void serveImage(byte[] bytes) {
        image = bytes;
    }

    /** The revised prompt the documented answer carries. */
    String documentedPrompt() {
        return documented.path("data").get(0).path("prompt").asText();
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (!"POST".equals(request.getMethod()) || !path.equals("/v1/images/generations")) {
            byte[] file = files.get(path);
            return file == null ? new MockResponse.Builder().code(404).build()
                    : new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png").body(new Buffer().write(file)).build();
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return new MockResponse.Builder().code(400).body("{\"message\":\"bad json\"}").build();
        }
        requests.add(body);
        if (failWith != 0) {
            return new MockResponse.Builder().code(failWith).setHeader("Content-Type", "application/json")
                    .body("{\"message\":\"Service temporarily unavailable\"}").build();
        }
        int n = imagesReturned != null ? imagesReturned : body.path("num_images").asInt(1);
        ObjectNode out = documented.deepCopy();
        ArrayNode data = out.putArray("data");
        JsonNode item = documented.path("data").get(0);
        for (int k = 0; k < n; k++) {
            String file = "/generations/" + requests.size() + "-" + k + ".png";
            files.put(file, image);
            ObjectNode copy = item.deepCopy();
            copy.put("url", baseUrl() + file);
            data.add(copy);
        }
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .headersDelay(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).body(out.toString()).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
