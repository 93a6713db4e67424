package dev.pictor.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An AIML API gateway on MockWebServer, for the real {@code aimlapi} provider: {@code POST /v1/images/generations}
 * answers in the documented {@code data[]} shape ({@code b64_json}, {@code mime_type}, the enhanced {@code prompt},
 * {@code meta.usage.credits_used}) with as many real PNGs as {@code num_images} asked, unless a test sets another
 * behaviour. Every request body is recorded.
 */
final class FakeGateway implements AutoCloseable {
    /** What the gateway was asked, read from the request body. */
    record Asked(String model, String prompt, int count, String aspect, Long seed, JsonNode body) {
    }

    interface Behaviour {
        MockResponse answer(Asked asked) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<Asked> calls = new CopyOnWriteArrayList<>();
    private final MockWebServer server = new MockWebServer();
    private volatile Behaviour behaviour = asked -> pictures(asked.count(), asked.prompt());

    FakeGateway() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!"POST".equals(request.getMethod()) || !request.getUrl().encodedPath().equals("/v1/images/generations")) {
                    return json(404, "{\"error\":\"not found\"}");
                }
                try {
                    JsonNode body = JSON.readTree(request.getBody().utf8());
                    var asked = new Asked(body.path("model").asText(), body.path("prompt").asText(),
                            body.path("num_images").asInt(1), body.path("aspect_ratio").asText(null),
                            body.hasNonNull("seed") ? body.path("seed").asLong() : null, body);
                    calls.add(asked);
                    return behaviour.answer(asked);
                } catch (Exception e) {
                    return json(500, "{\"error\":\"fake gateway: " + e.getClass().getSimpleName() + "\"}");
                }
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provider's base URL. */
    String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    void behave(Behaviour b) {
        behaviour = b;
    }

    /** The documented success answer, with {@code count} small real PNGs. */
    static MockResponse pictures(int count, String prompt) {
        byte[][] images = new byte[count][];
        for (int i = 0; i < count; i++) images[i] = TestImages.png(64 + i, 64);
        return answer(prompt, images);
    }

    /** The documented success answer carrying exactly these bytes as the images. */
    static MockResponse answer(String prompt, byte[]... images) {
        ObjectNode root = JSON.createObjectNode();
        var data = root.putArray("data");
        for (byte[] img : images) {
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(img)).put("mime_type", "image/png")
                    .put("prompt", "an enhanced " + prompt);
        }
        root.putObject("meta").putObject("usage").put("credits_used", 126000 * images.length);
        return json(200, root.toString());
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    /**
     * Bytes that pass as a PNG of {@code width}×{@code height} (only the header is read), padded to
     * {@code totalBytes}: an oversized image without encoding one.
     */
    static byte[] pngHeader(int width, int height, int totalBytes) {
        byte[] b = new byte[Math.max(totalBytes, 33)];
        byte[] head = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(head, 0, b, 0, head.length);
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(width).putInt(height);
        return b;
    }

    @Override
    public void close() {
        server.close();
    }
}
