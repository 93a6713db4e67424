package dev.pictor.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.function.Supplier;

/**
 * The HTTP endpoints an operator watches: {@code /healthz} (200 when every registered check passes, else 503,
 * with each check's state, under {@code reasons} why each one that is down is down, when the check says, and under
 * {@code details} what else was registered to be shown, such as the routes' breakers) and {@code /metrics} (Prometheus text format). Checks run on the request's thread: each must answer quickly (the
 * storage check answers from a cached probe within about a second). Each check is also the gauge
 * {@code pictor_check_up{check}} (1 up, 0 down), which the shipped alert rules watch.
 *
 * <p>Only those two paths exist (anything else, {@code /healthzfoo} included, is 404) and they answer only
 * {@code GET} and {@code HEAD} (anything else is 405 with {@code Allow: GET, HEAD}), besides the paths a bot
 * {@link #receive receives} on (a Telegram webhook), which answer only {@code POST}.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A check's answer: up, or down with a reason for the operator (null: none given). */
    public record Check(boolean up, String reason) {
    }

    private final HttpServer server;
    private final Map<String, Supplier<Check>> checks = new LinkedHashMap<>();
    private final java.util.Set<String> receiving = new java.util.HashSet<>();
    private final Map<String, Supplier<?>> details = new LinkedHashMap<>();

    private final MeterRegistry registry;

    /** Serves on {@code host} (an address or name to bind, {@code 0.0.0.0} for every interface) and {@code port}. */
    public OpsServer(String host, int port, PrometheusMeterRegistry registry) throws IOException {
        this.registry = registry;
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // a context matches every path it prefixes ("/healthzfoo"): the handlers answer their exact path only
        server.createContext("/", ex -> send(ex, 404, "text/plain; charset=utf-8", "not found; try /healthz or /metrics\n"));
        server.createContext("/healthz", only("/healthz", ex -> {
            Map<String, Supplier<Check>> current;
            synchronized (checks) {
                current = new LinkedHashMap<>(checks);
            }
            var states = new LinkedHashMap<String, Check>();
            current.forEach((name, check) -> states.put(name, safely(check)));
            boolean ready = states.values().stream().allMatch(Check::up);
            ObjectNode body = JSON.createObjectNode().put("status", ready ? "ready" : "not-ready");
            ObjectNode each = body.putObject("checks");
            states.forEach((name, c) -> each.put(name, c.up() ? "up" : "down"));
            if (states.values().stream().anyMatch(c -> !c.up() && c.reason() != null)) {
                ObjectNode reasons = body.putObject("reasons");
                states.forEach((name, c) -> {
                    if (!c.up() && c.reason() != null) reasons.put(name, c.reason());
                });
            }
            Map<String, Supplier<?>> shown;
            synchronized (details) {
                shown = new LinkedHashMap<>(details);
            }
            if (!shown.isEmpty()) {
                ObjectNode more = body.putObject("details");
                shown.forEach((name, d) -> {
                    try {
                        more.set(name, JSON.valueToTree(d.get()));
                    } catch (RuntimeException e) {
                        more.put(name, "unavailable: " + e.getClass().getSimpleName());
                    }
                });
            }
            send(ex, ready ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
        }));
        server.createContext("/metrics", only("/metrics",
                ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
    }

    /** {@code handler} for exactly {@code path} and GET or HEAD: 404 for a longer path, 405 for another method. */
    private static HttpHandler only(String path, HttpHandler handler) {
        return ex -> {
            try (ex) {
                if (!ex.getRequestURI().getPath().equals(path)) {
                    send(ex, 404, "text/plain; charset=utf-8", "not found; try /healthz or /metrics\n");
                } else if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(ex, 405, "text/plain; charset=utf-8", "method not allowed; use GET\n");
                } else {
                    handler.handle(ex);
                }
            }
        };
    }

    /**
     * Serves {@code handler} on exactly {@code path}, for {@code POST} only (anything else is 405 with
     * {@code Allow: POST}): where a Telegram webhook receives its updates. The handler answers and closes the exchange.
     *
     * @throws IllegalArgumentException when the path is already served
     */
    public OpsServer receive(String path, HttpHandler handler) {
        synchronized (receiving) {
            if (path.equals("/") || path.equals("/healthz") || path.equals("/metrics") || !receiving.add(path)) {
                throw new IllegalArgumentException("the HTTP port already serves " + path);
            }
        }
        server.createContext(path, ex -> {
            if (!ex.getRequestURI().getPath().equals(path)) {
                try (ex) {
                    send(ex, 404, "text/plain; charset=utf-8", "not found; try /healthz or /metrics\n");
                }
            } else if (!"POST".equals(ex.getRequestMethod())) {
                try (ex) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    send(ex, 405, "text/plain; charset=utf-8", "method not allowed; use POST\n");
                }
            } else {
                handler.handle(ex);
            }
        });
        return this;
    }

    /** Adds a readiness check (a bot connected…) shown by name in {@code /healthz}. */
    public OpsServer check(String name, BooleanSupplier up) {
        return checkWithReason(name, () -> new Check(up.getAsBoolean(), null));
    }

    /** Adds a readiness check that says why it is down (storage: "the database file … is gone"). */
    public OpsServer checkWithReason(String name, Supplier<Check> check) {
        synchronized (checks) {
            checks.put(name, check);
        }
        Gauge.builder("pictor.check.up", () -> safely(current(name)).up() ? 1 : 0)
                .description("Whether a /healthz check is up (1) or down (0): storage, started, bot:<profile>")
                .tag("check", name).register(registry);
        return this;
    }

    /**
     * Adds an entry under {@code details} in {@code /healthz} (the routes' breakers…): what {@code detail} answers,
     * as JSON (maps, lists, strings and numbers). It does not decide readiness; a check does.
     */
    public OpsServer detail(String name, Supplier<?> detail) {
        synchronized (details) {
            details.put(name, detail);
        }
        return this;
    }

    public OpsServer start() {
        server.start();
        log.info("HTTP endpoints /healthz and /metrics on {}:{}", server.getAddress().getHostString(), port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private Supplier<Check> current(String name) {
        synchronized (checks) {
            return checks.get(name);
        }
    }

    private static Check safely(Supplier<Check> check) {
        try {
            Check c = check == null ? null : check.get();
            return c != null ? c : new Check(false, null);
        } catch (RuntimeException e) {
            return new Check(false, "the check failed: " + e.getClass().getSimpleName());
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
