package dev.pictor.provider;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local image provider on MockWebServer: answers {@code POST …/images/generations} with what the test queued (or
 * a fixed answer), and serves image files by path, as a provider's CDN would. Records every request it got.
 */
final class FakeProvider implements AutoCloseable {
    final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> generations = new CopyOnWriteArrayList<>();
    final List<RecordedRequest> downloads = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<MockResponse> next = new ConcurrentLinkedQueue<>();
    private final Map<String, MockResponse> files = new ConcurrentHashMap<>();
    private volatile MockResponse always;

    FakeProvider() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if ("POST".equals(request.getMethod()) && path.endsWith("/images/generations")) {
                    generations.add(request);
                    MockResponse queued = next.poll();
                    if (queued != null) return queued;
                    if (always != null) return always;
                    return new MockResponse.Builder().code(418).body("test fake: no answer queued").build();
                }
                downloads.add(request);
                MockResponse file = files.get(path);
                return file != null ? file : new MockResponse.Builder().code(404).body("Not Found").build();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL a provider is configured with, e.g. {@code http://127.0.0.1:1234} (+ {@code suffix}). */
    String base(String suffix) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1) + suffix;
    }

    FakeProvider thenAnswer(MockResponse response) {
        next.add(response);
        return this;
    }

    FakeProvider thenAnswer(int code, String body) {
        return thenAnswer(json(code, body));
    }

    FakeProvider alwaysAnswer(MockResponse response) {
        always = response;
        return this;
    }

    FakeProvider serve(String path, byte[] bytes, String contentType) {
        files.put(path, new MockResponse.Builder().code(200).setHeader("Content-Type", contentType)
                .body(new Buffer().write(bytes)).build());
        return this;
    }

    FakeProvider serve(String path, MockResponse response) {
        files.put(path, response);
        return this;
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** A documented answer from {@code src/test/resources/providers/}, with this fake as the image host. */
    String documented(String resource, byte[] png) {
        try (InputStream in = FakeProvider.class.getResourceAsStream("/providers/" + resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource providers/" + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${BASE_URL}", base(""))
                    .replace("${PNG_BASE64}", png == null ? "" : Base64.getEncoder().encodeToString(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
