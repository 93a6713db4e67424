package dev.pictor.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The bot's own {@code getUpdates} loop, on its own thread. Each update of a batch is read on its own
 * ({@link UpdateReader}): one that does not read as a Telegram update is skipped and logged once with its id, and the
 * rest of the batch is served. The updates that read are
 * handed to the {@link Sink}, which records them durably; only then does the next poll's {@code offset} confirm them
 * to Telegram. A sink that cannot record (the database is down) leaves the batch unconfirmed: Telegram sends it again.
 *
 * <p>{@link #healthy()} is false once the last successful poll is older than two poll timeouts, or after the stop.
 */
final class LongPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LongPoller.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int LIMIT = 100;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A batch of updates that could not be confirmed (unreadable ids) is fetched again only after this pause. */
    private static final Duration NO_PROGRESS_PAUSE = Duration.ofSeconds(1);

    /** Takes a batch: records it durably, or throws (then it is not confirmed and comes again), and hands it on. */
    interface Sink {
        void take(List<UpdateReader.Accepted> batch);
    }

    private final String name;
    private final OkHttpClient http;
    private final OkHttpClient quick;
    private final HttpUrl getUpdates;
    private final Duration timeout;
    private final List<String> types;
    private final ObjectMapper json;
    private final Sink sink;
    private final UnaryOperator<String> scrub;
    private final Runnable afterPoll;
    private final UpdateReader reader;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Call inFlight;
    private volatile long lastSuccess;
    private long offset;    // one past the highest update id taken
    private long confirmed; // the offset the last successful poll carried

    /**
     * @param apiUrl    the Bot API base; {@code token} goes into the path and nowhere else
     * @param http      a client whose read timeout exceeds {@code timeout}
     * @param afterPoll run on the polling thread after each successful poll (housekeeping); it must not throw
     */
    LongPoller(String name, HttpUrl apiUrl, String token, OkHttpClient http, Duration timeout, List<String> types,
               ObjectMapper json, Sink sink, UnaryOperator<String> scrub, Runnable afterPoll) {
        this.name = name;
        this.http = http;
        this.quick = http.newBuilder().callTimeout(Duration.ofSeconds(3)).build();
        this.getUpdates = apiUrl.newBuilder().addPathSegment("bot" + token).addPathSegment("getUpdates").build();
        this.timeout = timeout;
        this.types = List.copyOf(types);
        this.json = json;
        this.reader = new UpdateReader(name, json);
        this.sink = sink;
        this.scrub = scrub;
        this.afterPoll = afterPoll;
        this.thread = new Thread(this::run, "telegram-poll-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        lastSuccess = System.nanoTime();
        thread.start();
    }

    /** Polling runs and its last poll succeeded less than two poll timeouts ago, for {@code /healthz}. */
    boolean healthy() {
        return thread.isAlive() && !stopping && System.nanoTime() - lastSuccess < timeout.multipliedBy(2).toNanos();
    }

    private void run() {
        int failures = 0;
        String lastProblem = null;
        try {
            while (!stopping) {
                JsonNode result;
                long sent = offset;
                try {
                    result = fetch(http, sent, LIMIT, (int) timeout.toSeconds(), true);
                    take(result);
                } catch (PollFailure f) {
                    if (stopping) break;
                    failures++;
                    Duration wait = f.retryAfter != null ? f.retryAfter : backoff(failures);
                    if (!f.getMessage().equals(lastProblem)) {
                        log.warn("Telegram bot {}: getUpdates failed ({}); polling again in {} ms{}", name, f.getMessage(),
                                wait.toMillis(), failures > 1 ? " (" + failures + " failures in a row)" : "");
                        lastProblem = f.getMessage();
                    }
                    Thread.sleep(wait);
                    continue;
                }
                confirmed = sent;
                lastSuccess = System.nanoTime();
                if (failures > 0) log.info("Telegram bot {}: polling works again after {} failure(s)", name, failures);
                failures = 0;
                lastProblem = null;
                afterPoll.run();
                if (!result.isEmpty() && offset == sent) Thread.sleep(NO_PROGRESS_PAUSE);
            }
        } catch (InterruptedException e) {
            // the stop
        } catch (RuntimeException e) {
            log.error("Telegram bot {}: polling stopped", name, e);
        }
        confirmOnExit();
    }

    /** Reads each update of a batch on its own, hands the ones that read to the sink, then moves the offset on. */
    private void take(JsonNode result) throws PollFailure {
        var accepted = new ArrayList<UpdateReader.Accepted>();
        long next = offset;
        for (JsonNode node : result) {
            Long id = UpdateReader.idOf(node);
            if (id != null) next = Math.max(next, id + 1);
            UpdateReader.Accepted a = reader.read(node);
            if (a != null) accepted.add(a);
        }
        if (!accepted.isEmpty()) {
            try {
                sink.take(accepted);
            } catch (RuntimeException e) {
                throw new PollFailure("the updates could not be recorded: " + e.getMessage(), null);
            }
        }
        offset = next;
    }

    private JsonNode fetch(OkHttpClient client, long from, int limit, int seconds, boolean cancellable) throws PollFailure {
        ObjectNode body = json.createObjectNode();
        if (from > 0) body.put("offset", from);
        body.put("limit", limit);
        body.put("timeout", seconds);
        var allowed = body.putArray("allowed_updates");
        types.forEach(allowed::add);
        Request request = new Request.Builder().url(getUpdates).post(RequestBody.create(body.toString(), JSON)).build();
        Call call = client.newCall(request);
        if (cancellable) {
            inFlight = call;
            if (stopping) call.cancel();
        }
        try (Response response = call.execute()) {
            String text = response.body().string();
            JsonNode answer;
            try {
                answer = json.readTree(text);
            } catch (JsonProcessingException e) {
                throw new PollFailure("HTTP " + response.code() + " with a body that is not JSON", null);
            }
            if (answer == null || !answer.path("ok").asBoolean(false)) {
                int code = answer == null ? response.code() : answer.path("error_code").asInt(response.code());
                String description = answer == null ? "" : answer.path("description").asText("");
                JsonNode after = answer == null ? null : answer.path("parameters").get("retry_after");
                Duration retry = code == 429 && after != null && after.canConvertToInt() && after.asInt() > 0
                        ? Duration.ofSeconds(Math.min(after.asInt(), 300)) : null;
                throw new PollFailure("status " + code + (description.isBlank() ? "" : ": " + scrub.apply(cut(description))), retry);
            }
            JsonNode result = answer.get("result");
            if (result == null || !result.isArray()) throw new PollFailure("an answer without a list of updates", null);
            return result;
        } catch (IOException e) {
            throw new PollFailure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + scrub.apply(cut(e.getMessage()))), null);
        } finally {
            inFlight = null;
        }
    }

    /** Confirms the last batch taken (the next poll would have), so that a restart is not sent it again. */
    private void confirmOnExit() {
        if (offset <= confirmed) return;
        Thread.interrupted(); // the stop's interrupt must not fail this last call
        try {
            fetch(quick, offset, 1, 0, false);
            log.debug("Telegram bot {}: confirmed the updates below {}", name, offset);
        } catch (PollFailure e) {
            log.debug("Telegram bot {}: the last updates were not confirmed ({}); they come again and are skipped", name, e.getMessage());
        }
    }

    private Duration backoff(int failures) {
        Duration cap = MAX_BACKOFF.compareTo(timeout) < 0 ? MAX_BACKOFF : timeout;
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 10));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    private static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** Stops polling: the poll in flight is cancelled (no error is logged for it) and the thread waited for. */
    @Override
    public void close() {
        stopping = true;
        Call call = inFlight;
        if (call != null) call.cancel();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
            if (thread.isAlive()) log.warn("Telegram bot {}: the poller did not stop within 5 s", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PollFailure extends Exception {
        final Duration retryAfter;

        PollFailure(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }
}
