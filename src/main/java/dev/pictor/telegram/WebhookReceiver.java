package dev.pictor.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telegram's webhook requests for one bot, as pictor's HTTP port receives them (the ops server lets only
 * {@code POST} on the bot's path through). A request whose {@code X-Telegram-Bot-Api-Secret-Token} header is missing
 * or wrong (compared in constant time) is answered 401 and nothing else happens: its body is not read, nothing is
 * recorded, and only a count of such requests is logged. A body that is not an update is answered 200 and skipped
 * (logged once, as the poller does): Telegram would otherwise send it again and again. An update is handed to the
 * sink, which records it durably and queues it for handling, and only then answered 200, at once, while its handling
 * goes on in the background; when it cannot be recorded (the database is down) the answer is 500, so that Telegram
 * sends it again later. Before {@link #open} and after {@link #close} every request with the right secret is
 * answered 503 (Telegram sends it again, to this process or another one).
 */
final class WebhookReceiver implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    /** Bigger bodies are not updates the bot asked for (a message is at most 4096 characters). */
    static final int MAX_BODY = 1 << 20;
    private static final Duration REFUSALS_LOGGED_EVERY = Duration.ofMinutes(1);

    private final String name;
    private final byte[] secret;
    private final ObjectMapper json;
    private final UpdateReader reader;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong refusalsLoggedAt = new AtomicLong(System.nanoTime() - REFUSALS_LOGGED_EVERY.toNanos());
    private volatile LongPoller.Sink sink;
    private volatile Instant lastReached;

    WebhookReceiver(String name, String secret, ObjectMapper json) {
        this.name = name;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        this.reader = new UpdateReader(name, json);
    }

    /** From now on updates go to {@code sink}, which records them (or throws) and queues them for handling. */
    void open(LongPoller.Sink to) {
        sink = to;
    }

    /** From now on updates are answered 503 (Telegram sends them again later). */
    void close() {
        sink = null;
    }

    boolean isOpen() {
        return sink != null;
    }

    /** When Telegram last reached this webhook (a request with the right secret); null before the first. */
    Instant lastReached() {
        return lastReached;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String given = ex.getRequestHeaders().getFirst(SECRET_HEADER);
            // isEqual's time depends only on the length of its first argument, the secret's, never on what was sent
            if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
                refuse(ex);
                return;
            }
            lastReached = Instant.now();
            LongPoller.Sink to = sink;
            if (to == null) {
                answer(ex, 503);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reader.skipUnreadable("its body is over " + MAX_BODY + " bytes", body.length, java.util.Arrays.hashCode(body));
                answer(ex, 200);
                return;
            }
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (IOException e) {
                reader.skipUnreadable("its body is not JSON", body.length, java.util.Arrays.hashCode(body));
                answer(ex, 200);
                return;
            }
            UpdateReader.Accepted update = reader.read(node);
            if (update == null) {
                answer(ex, 200);
                return;
            }
            try {
                to.take(List.of(update));
            } catch (RuntimeException e) {
                log.warn("Telegram bot {}: update {} could not be recorded ({}); answered 500, Telegram sends it again",
                        name, update.id(), e.getClass().getSimpleName());
                answer(ex, 500);
                return;
            }
            answer(ex, 200);
        }
    }

    private void refuse(HttpExchange ex) throws IOException {
        int n = refused.incrementAndGet();
        long now = System.nanoTime(), last = refusalsLoggedAt.get();
        if (now - last >= REFUSALS_LOGGED_EVERY.toNanos() && refusalsLoggedAt.compareAndSet(last, now)) {
            refused.addAndGet(-n);
            log.warn("Telegram bot {}: refused {} webhook request(s) without the right {} header (401); the last from {}",
                    name, n, SECRET_HEADER, ex.getRemoteAddress().getAddress().getHostAddress());
        }
        answer(ex, 401);
    }

    private static void answer(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }
}
