package dev.pictor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The HTTP endpoints an operator watches: {@code /healthz} (200 when every registered check passes, else 503,
 * with each check's state) and {@code /metrics} (Prometheus text format).
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public OpsServer(String host, int port, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", ex -> {
            var states = new LinkedHashMap<String, Boolean>();
            synchronized (checks) {
                checks.forEach((name, check) -> states.put(name, safely(check)));
            }
            boolean ready = states.values().stream().allMatch(Boolean::booleanValue);
            var body = new StringBuilder("{\"status\":\"").append(ready ? "ready" : "not-ready").append("\",\"checks\":{");
            String sep = "";
            for (var e : states.entrySet()) {
                body.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue() ? "\"up\"" : "\"down\"");
                sep = ",";
            }
            body.append("}}\n");
            send(ex, ready ? 200 : 503, "application/json", body.toString());
        });
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    }

    /** Adds a readiness check (storage open, a bot connected…) shown by name in {@code /healthz}. */
    public OpsServer check(String name, BooleanSupplier up) {
        synchronized (checks) {
            checks.put(name, up);
        }
        return this;
    }

    public OpsServer start() {
        server.start();
        log.info("HTTP endpoints /healthz and /metrics on port {}", port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
