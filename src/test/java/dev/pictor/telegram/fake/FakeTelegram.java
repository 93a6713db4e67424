package dev.pictor.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import okhttp3.MultipartReader;
import okio.Okio;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process Bot API server for tests: long polling ({@code getUpdates} held for its {@code timeout}, as Telegram
 * does, at most a minute; an update is confirmed,
 * and forgotten, once a later {@code offset} is above its id or above a later update's), the sending methods
 * the bot uses (JSON and multipart), and chats that remember what was posted. Every call is checked against the
 * derived spec ({@link TelegramSpec}); a call that breaks it is answered 400 and recorded as a violation, which
 * the tests assert to be none. Failures such as a 429 can be scripted per method, once or until further notice; a test
 * may also spoil an update's JSON ({@link #saysMalformed}) or send one again ({@link #redeliver}).
 *
 * <p>Webhooks as Telegram delivers them: once {@code setWebhook} has set an HTTPS URL (on 443, 80, 88 or 8443, else
 * it is refused as Telegram refuses it), {@code getUpdates} is refused with 409 and every update is POSTed, in order
 * and one at a time, as its JSON with the {@code X-Telegram-Bot-Api-Secret-Token} header, to the address a reverse
 * proxy forwards the URL to ({@link #forwardWebhooksTo}); an answer other than 2xx, or none within
 * {@link #webhookTimeout}, is recorded as the webhook's last error ({@code getWebhookInfo}) and the update is sent
 * again after a pause. {@link #deliveries()} lists every attempt with its answer.
 */
public final class FakeTelegram implements AutoCloseable {
    public static final String TOKEN = "7000001:FAKE-test-token-never-shown";
    public static final long BOT_ID = 7000001L;
    public static final String BOT_USERNAME = "pictor_test_bot";
    private static final Duration MAX_HOLD = Duration.ofSeconds(60);
    private static final Pattern PATH = Pattern.compile("^/bot([^/]+)/([A-Za-z]+)$");
    private static final Pattern DISPOSITION_NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern DISPOSITION_FILE = Pattern.compile("filename=\"([^\"]*)\"");

    public record Chat(long id, String type, String title) {
        public static Chat privateWith(User user) {
            return new Chat(user.id(), "private", null);
        }

        public static Chat group(long id, String title) {
            return new Chat(id, "supergroup", title);
        }
    }

    /** A Telegram user; {@code languageCode} is the IETF tag their client reports ({@code from.language_code}), or null. */
    public record User(long id, String firstName, String username, String languageCode) {
        public User(long id, String firstName, String username) {
            this(id, firstName, username, null);
        }

        /** The same user with a client set to {@code languageCode} (e.g. {@code pt-br}). */
        public User speaking(String languageCode) {
            return new User(id, firstName, username, languageCode);
        }
    }

    /** One call the bot made, as the server read it. */
    public record Call(String method, Map<String, JsonNode> params, Map<String, byte[]> files, long atNanos, int status) {
        public String param(String name) {
            JsonNode v = params.get(name);
            return v == null ? null : v.asText();
        }
    }

    /** A message in a chat, as members would see it. */
    public static final class Sent {
        public final long chatId;
        public final int messageId;
        public final String kind; // text, photo, document
        public final String text;
        public final String caption;
        public final JsonNode replyMarkup;
        public final Integer replyTo;
        public final String fileName;
        public final byte[] file;
        public final String mediaGroupId;
        public final boolean fromBot;
        public final User author; // a member's message: who wrote it
        public volatile boolean deleted;

        Sent(long chatId, int messageId, String kind, String text, String caption, JsonNode replyMarkup, Integer replyTo,
             String fileName, byte[] file, String mediaGroupId, boolean fromBot, User author) {
            this.chatId = chatId;
            this.messageId = messageId;
            this.kind = kind;
            this.text = text;
            this.caption = caption;
            this.replyMarkup = replyMarkup;
            this.replyTo = replyTo;
            this.fileName = fileName;
            this.file = file;
            this.mediaGroupId = mediaGroupId;
            this.fromBot = fromBot;
            this.author = author;
        }

        /** The callback data of the button whose label contains {@code label}, or null. */
        public String button(String label) {
            if (replyMarkup == null) return null;
            for (JsonNode row : replyMarkup.path("inline_keyboard")) {
                for (JsonNode b : row) if (b.path("text").asText().contains(label)) return b.path("callback_data").asText();
            }
            return null;
        }

        public List<String> buttonLabels() {
            var out = new ArrayList<String>();
            if (replyMarkup != null) replyMarkup.path("inline_keyboard").forEach(r -> r.forEach(b -> out.add(b.path("text").asText())));
            return out;
        }

        @Override
        public String toString() {
            return kind + "#" + messageId + "@" + chatId + (deleted ? "(deleted)" : "") + (replyTo != null ? " ↩" + replyTo : "")
                    + (text != null ? " text=" + text.replace('\n', '|') : "") + (caption != null ? " caption=" + caption.replace('\n', '|') : "")
                    + (fileName != null ? " file=" + fileName : "") + (replyMarkup != null ? " buttons=" + buttonLabels() : "");
        }
    }

    /** A scripted answer for the next call of a method: a Bot API error, or {@code rawBody} as it is (garbage). */
    public record Failure(int status, String description, Integer retryAfter, String rawBody) {
        public Failure(int status, String description, Integer retryAfter) {
            this(status, description, retryAfter, null);
        }

        /** An answer whose body is not the Bot API's JSON at all. */
        public static Failure garbage(int status, String body) {
            return new Failure(status, null, null, body);
        }
    }

    /** One webhook request the fake made: the update's id ({@code null}: unreadable), the answer's status (0: none). */
    public record Delivery(Long updateId, int status, long atNanos) {
    }

    /** The webhook as {@code setWebhook} set it. */
    public record Webhook(String url, String secret, List<String> allowedUpdates) {
    }

    /** An update waiting to be confirmed; {@code delivered} once getUpdates has returned it. */
    private static final class Queued {
        final ObjectNode update;
        boolean delivered;

        Queued(ObjectNode update) {
            this.update = update;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final TelegramSpec spec = TelegramSpec.load();
    private final HttpServer server;
    private final ExecutorService executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition updatesArrived = lock.newCondition();
    private final List<Queued> updates = new ArrayList<>();
    private final Map<Long, ObjectNode> pushed = new ConcurrentHashMap<>();
    private final Map<String, Failure> alwaysFailing = new ConcurrentHashMap<>();
    private final AtomicInteger polls = new AtomicInteger();
    private int nextUpdateId = 1;
    private final Map<Long, AtomicInteger> messageIds = new ConcurrentHashMap<>();
    private final Map<Long, Chat> chats = new ConcurrentHashMap<>();
    private final List<Sent> messages = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Object recording = new Object();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Hold>> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lostAnswers = new ConcurrentHashMap<>();
    private final Map<String, String> callbacks = new ConcurrentHashMap<>(); // id -> "open" | "answered"
    private final Map<String, ObjectNode> answers = new ConcurrentHashMap<>();
    private final AtomicInteger callbackIds = new AtomicInteger();
    private final AtomicInteger mediaGroups = new AtomicInteger();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final java.net.http.HttpClient webhookClient = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread webhookDelivery;
    private volatile Webhook webhook;          // guarded by lock for changes
    private volatile List<URI> forwardTo = List.of();
    private final java.util.concurrent.atomic.AtomicInteger nextTarget = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Duration webhookTimeout = Duration.ofSeconds(10);
    private volatile Duration webhookRetry = Duration.ofMillis(100);
    private volatile Long lastErrorDate;
    private volatile String lastErrorMessage;

    public FakeTelegram() throws IOException {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-telegram");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        webhookDelivery = new Thread(this::deliverWebhooks, "fake-telegram-webhooks");
        webhookDelivery.setDaemon(true);
        webhookDelivery.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        webhookDelivery.interrupt();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- webhooks -------------------------------------------------------------------------------------------

    /**
     * Where the webhook's HTTPS URL ends up: the address (with the path) of pictor's HTTP port that a reverse proxy in
     * front of it forwards Telegram's requests to.
     */
    public void forwardWebhooksTo(URI target) {
        forwardWebhooksTo(List.of(target));
    }

    /**
     * Where a load balancer in front of several processes forwards the webhook's requests: to each target in turn
     * (round robin), so that an update sent again (a failed or slow answer, {@link #redeliver}) reaches the next one.
     */
    public void forwardWebhooksTo(List<URI> targets) {
        forwardTo = List.copyOf(targets);
        wakeDelivery();
    }

    /** How long the fake waits for a webhook's answer before it counts the delivery as failed (Telegram: about a minute). */
    public void webhookTimeout(Duration timeout) {
        webhookTimeout = timeout;
    }

    /** The webhook set, or null (the bot polls). */
    public Webhook webhook() {
        return webhook;
    }

    /** As if another process had set a webhook for this bot earlier (it stays until deleteWebhook). */
    public void webhookAlreadySet(String url, String secret) {
        lock.lock();
        try {
            webhook = new Webhook(url, secret, List.of());
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** As if a delivery to the webhook had failed {@code ago} (e.g. the 503 of a process that was stopping). */
    public void deliveryFailed(Duration ago, String message) {
        lastErrorDate = now() - ago.toSeconds();
        lastErrorMessage = message;
    }

    /** Every webhook request so far, with its answer. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The webhook requests for the update with this id. */
    public List<Delivery> deliveries(long updateId) {
        return deliveries.stream().filter(d -> d.updateId() != null && d.updateId() == updateId).toList();
    }

    /** Waits (up to 10 s) until the update with this id was answered 2xx; returns its deliveries. */
    public List<Delivery> awaitDelivered(long updateId) {
        return await(() -> deliveries(updateId).stream().anyMatch(d -> d.status() / 100 == 2) ? deliveries(updateId) : null,
                () -> "update " + updateId + " was not delivered; deliveries: " + deliveries());
    }

    private void wakeDelivery() {
        lock.lock();
        try {
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Delivers the queued updates to the webhook, oldest first, one at a time; again and again until answered 2xx. */
    private void deliverWebhooks() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Queued next;
                Webhook hook;
                lock.lock();
                try {
                    while ((hook = webhook) == null || updates.isEmpty()) updatesArrived.await();
                    next = updates.getFirst();
                } finally {
                    lock.unlock();
                }
                int status = post(hook, next.update);
                JsonNode id = next.update.path("update_id");
                deliveries.add(new Delivery(id.isIntegralNumber() && id.canConvertToLong() ? id.asLong() : null, status, System.nanoTime()));
                if (status / 100 == 2) {
                    lock.lock();
                    try {
                        updates.remove(next);
                    } finally {
                        lock.unlock();
                    }
                } else {
                    Thread.sleep(webhookRetry);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One webhook request; the answer's status, or 0 when there was none (the error is recorded as Telegram does). */
    private int post(Webhook hook, ObjectNode update) throws InterruptedException {
        List<URI> targets = forwardTo;
        if (targets.isEmpty()) return failed(0, "Connection refused");
        URI target = targets.get(Math.floorMod(nextTarget.getAndIncrement(), targets.size()));
        try {
            var request = java.net.http.HttpRequest.newBuilder(target).timeout(webhookTimeout)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(update)));
            if (hook.secret() != null) request.header("X-Telegram-Bot-Api-Secret-Token", hook.secret());
            int status = webhookClient.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? status : failed(status, "Wrong response from the webhook: " + status);
        } catch (java.net.http.HttpTimeoutException e) {
            return failed(0, "Read timeout expired");
        } catch (IOException e) {
            return failed(0, "Connection refused");
        }
    }

    private int failed(int status, String message) {
        lastErrorDate = now();
        lastErrorMessage = message;
        return status;
    }

    private JsonNode setWebhook(Map<String, JsonNode> p) {
        String url = p.get("url").asText();
        if (url.isEmpty()) {
            lock.lock();
            try {
                webhook = null;
            } finally {
                lock.unlock();
            }
            return ok(nodes.booleanNode(true));
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            return error(400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known");
        }
        if (!"https".equals(u.getScheme()) || u.getHost() == null) {
            return error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        }
        if (u.getPort() != -1 && !List.of(443, 80, 88, 8443).contains(u.getPort())) {
            return error(400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        }
        var allowed = new ArrayList<String>();
        JsonNode a = structure(p.get("allowed_updates"));
        if (a != null) a.forEach(n -> allowed.add(n.asText()));
        String secret = p.containsKey("secret_token") ? p.get("secret_token").asText() : null;
        lock.lock();
        try {
            if (p.containsKey("drop_pending_updates") && p.get("drop_pending_updates").asText().equals("true")) updates.clear();
            webhook = new Webhook(url, secret, List.copyOf(allowed)); // the last error stays, as getWebhookInfo reports it
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        return ok(nodes.booleanNode(true));
    }

    private JsonNode deleteWebhook(Map<String, JsonNode> p) {
        lock.lock();
        try {
            if (p.containsKey("drop_pending_updates") && p.get("drop_pending_updates").asText().equals("true")) updates.clear();
            webhook = null;
        } finally {
            lock.unlock();
        }
        return ok(nodes.booleanNode(true));
    }

    private JsonNode webhookInfo() {
        Webhook hook = webhook;
        ObjectNode info = nodes.objectNode().put("url", hook == null ? "" : hook.url()).put("has_custom_certificate", false)
                .put("pending_update_count", unconfirmed());
        if (hook != null) {
            if (lastErrorDate != null) info.put("last_error_date", lastErrorDate).put("last_error_message", lastErrorMessage);
            info.put("max_connections", 40);
            var allowed = info.putArray("allowed_updates");
            hook.allowedUpdates().forEach(allowed::add);
        }
        return ok(info);
    }

    // ---- what members do -------------------------------------------------------------------------------------

    /** A member writes {@code text} in the chat; a leading /command gets its bot_command entity. Returns its id. */
    public int says(Chat chat, User user, String text) {
        return post(chat, user, text, null);
    }

    /** A message in the chat by its id (a member's or the bot's). */
    public Sent message(long chatId, int messageId) {
        return messages.stream().filter(m -> m.chatId == chatId && m.messageId == messageId).findFirst()
                .orElseThrow(() -> new AssertionError("no message " + messageId + " in chat " + chatId));
    }

    /** A member replies to a message {@code to} (the bot's or another member's) with {@code text}. */
    public int replies(Chat chat, User user, Sent to, String text) {
        return post(chat, user, text, to);
    }

    /**
     * A member writes {@code text}, but the update the bot gets is spoiled by {@code spoil} (given the whole update,
     * with its {@code update_id} and {@code message}), e.g. a {@code date} of 0 or an id out of range.
     * Returns the message id.
     */
    public int saysMalformed(Chat chat, User user, String text, java.util.function.Consumer<ObjectNode> spoil) {
        return post(chat, user, text, null, spoil);
    }

    /** Sends the update with this id once more (as it was sent), as if Telegram had not seen it confirmed. */
    public void redeliver(long updateId) {
        ObjectNode u = pushed.get(updateId);
        if (u == null) throw new AssertionError("no update " + updateId + " was sent");
        lock.lock();
        try {
            updates.add(new Queued(u.deepCopy()));
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The id of the last update sent to the bot. */
    public long lastUpdateId() {
        lock.lock();
        try {
            return nextUpdateId - 1;
        } finally {
            lock.unlock();
        }
    }

    /** Updates sent but not yet confirmed by a later offset. */
    public int unconfirmed() {
        lock.lock();
        try {
            return updates.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many getUpdates calls the bot made. */
    public int polls() {
        return polls.get();
    }

    private int post(Chat chat, User user, String text, Sent replyTo) {
        return post(chat, user, text, replyTo, u -> { });
    }

    private int post(Chat chat, User user, String text, Sent replyTo, java.util.function.Consumer<ObjectNode> spoil) {
        chats.put(chat.id(), chat);
        int id = nextMessageId(chat.id());
        ObjectNode m = nodes.objectNode();
        m.put("message_id", id);
        m.put("date", now());
        m.set("chat", chatJson(chat));
        m.set("from", userJson(user));
        m.put("text", text);
        Matcher cmd = Pattern.compile("^/[A-Za-z0-9_@]+").matcher(text);
        if (cmd.find()) {
            m.putArray("entities").addObject().put("type", "bot_command").put("offset", 0).put("length", cmd.end());
        }
        if (replyTo != null) m.set("reply_to_message", messageJson(replyTo));
        messages.add(new Sent(chat.id(), id, "text", text, null, null, replyTo == null ? null : replyTo.messageId,
                null, null, null, false, user));
        push("message", m, spoil);
        return id;
    }

    /** A member presses the button with {@code data} under the bot's message; returns the callback query id. */
    public String presses(User user, Sent message, String data) {
        boolean offered = false;
        if (message.replyMarkup != null) {
            for (JsonNode row : message.replyMarkup.path("inline_keyboard")) {
                for (JsonNode b : row) offered |= data.equals(b.path("callback_data").asText());
            }
        }
        if (!offered) throw new AssertionError("message " + message + " has no button with data " + data);
        return forges(user, message, data);
    }

    /**
     * A client that sends callback data of its own choosing on a message of the bot's (Telegram does not check that
     * the data belongs to a button of that message); returns the callback query id.
     */
    public String forges(User user, Sent message, String data) {
        String id = "cb" + callbackIds.incrementAndGet();
        callbacks.put(id, "open");
        ObjectNode q = nodes.objectNode();
        q.put("id", id);
        q.set("from", userJson(user));
        q.set("message", messageJson(message));
        q.put("chat_instance", "ci" + message.chatId);
        q.put("data", data);
        push("callback_query", q, u -> { });
        return id;
    }

    private void push(String kind, ObjectNode payload, java.util.function.Consumer<ObjectNode> spoil) {
        lock.lock();
        try {
            ObjectNode u = nodes.objectNode();
            long id = nextUpdateId++;
            u.put("update_id", id);
            u.set(kind, payload);
            spoil.accept(u);
            pushed.put(id, u.deepCopy()); // sent again as it was sent, spoiled or not
            updates.add(new Queued(u));
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A call held on arrival, before the Bot API acts on it: {@link #arrived} tells that it came; {@link #release}
     * lets it be carried out, {@link #drop} answers nothing and changes nothing (as if the caller had died first).
     */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch decided = new CountDownLatch(1);
        private volatile boolean act;

        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            act = true;
            decided.countDown();
        }

        public void drop() {
            decided.countDown();
        }

        /** Waits for the test's decision (dropped after a minute); whether to carry the call out. */
        private boolean await() throws InterruptedException {
            arrived.countDown();
            return decided.await(60, TimeUnit.SECONDS) && act;
        }
    }

    /** Holds the next call of {@code method} before it is carried out, until the test releases or drops it. */
    public Hold holdNext(String method) {
        var hold = new Hold();
        holds.computeIfAbsent(method.toLowerCase(Locale.ROOT), k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(hold);
        return hold;
    }

    /**
     * The next call of {@code method} is carried out (the message appears in the chat) but its answer is lost: the
     * connection is closed without a response, as when a network drops after Telegram acted.
     */
    public void loseAnswerNext(String method) {
        lostAnswers.computeIfAbsent(method.toLowerCase(Locale.ROOT), k -> new AtomicInteger()).incrementAndGet();
    }

    private boolean loseAnswer(String method) {
        AtomicInteger n = method == null ? null : lostAnswers.get(method.toLowerCase(Locale.ROOT));
        return n != null && n.getAndUpdate(v -> Math.max(0, v - 1)) > 0;
    }

    /** The next call of {@code method} gets this answer instead of being carried out. */
    public void failNext(String method, Failure failure) {
        failures.computeIfAbsent(method.toLowerCase(Locale.ROOT), k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(failure);
    }

    /** Every call of {@code method} gets this answer until {@link #stopFailing}. */
    public void failAlways(String method, Failure failure) {
        alwaysFailing.put(method.toLowerCase(Locale.ROOT), failure);
    }

    public void stopFailing(String method) {
        alwaysFailing.remove(method.toLowerCase(Locale.ROOT));
    }

    // ---- what the tests read --------------------------------------------------------------------------------

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<Call> calls(String method) {
        synchronized (recording) {
            // waits for a call whose effect is visible but whose record is not yet added
        }
        return calls.stream().filter(c -> c.method().equalsIgnoreCase(method)).toList();
    }

    public List<Sent> botMessages(long chatId) {
        return messages.stream().filter(m -> m.fromBot && m.chatId == chatId).toList();
    }

    public ObjectNode answer(String callbackId) {
        return answers.get(callbackId);
    }

    /** Waits (up to 10 s) until the bot has posted {@code count} messages in the chat that match; returns them. */
    public List<Sent> awaitBotMessages(long chatId, int count, Predicate<Sent> which) {
        return await(() -> {
            var found = botMessages(chatId).stream().filter(which).toList();
            return found.size() >= count ? found : null;
        }, () -> "expected " + count + " matching bot messages in chat " + chatId + ", chat holds " + botMessages(chatId));
    }

    public Sent awaitBotMessage(long chatId, Predicate<Sent> which) {
        return awaitBotMessages(chatId, 1, which).getFirst();
    }

    /** Waits (up to 10 s) until the callback query was answered; returns the answer's fields. */
    public ObjectNode awaitAnswer(String callbackId) {
        return await(() -> answers.get(callbackId), () -> "callback " + callbackId + " was never answered");
    }

    public List<Call> awaitCalls(String method, int count) {
        return await(() -> calls(method).size() >= count ? calls(method) : null,
                () -> "expected " + count + " " + method + " calls, got " + calls(method).size());
    }

    private static <T> T await(java.util.function.Supplier<T> probe, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError(failure.get());
    }

    // ---- the server -----------------------------------------------------------------------------------------

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            if (!m.matches()) {
                violations.add("request to an unknown path " + ex.getRequestURI().getPath().replace(TOKEN, "<token>"));
                reply(ex, 404, error(404, "Not Found"));
                return;
            }
            if (!TOKEN.equals(m.group(1))) {
                reply(ex, 401, error(401, "Unauthorized"));
                return;
            }
            String method = m.group(2);
            var params = new LinkedHashMap<String, JsonNode>();
            var files = new LinkedHashMap<String, byte[]>();
            read(ex, params, files);
            // telegrambots puts the method's name in JSON bodies too (for webhook replies); the Bot API ignores it
            JsonNode echoed = params.get("method");
            if (echoed != null && echoed.asText().equalsIgnoreCase(method)) params.remove("method");
            var problems = new ArrayList<>(spec.check(method, params, files.keySet()));
            String canonical = spec.canonical(method);
            Deque<Hold> held = canonical == null ? null : holds.get(canonical.toLowerCase(Locale.ROOT));
            Hold hold = held == null ? null : held.poll();
            if (hold != null && !hold.await()) return; // dropped: the caller is gone, nothing happens
            Failure scripted = canonical == null ? null : next(canonical);
            int status;
            JsonNode body;
            if (!problems.isEmpty()) {
                problems.forEach(p -> violations.add(method + ": " + p));
                status = 400;
                body = error(400, "Bad Request: " + problems.getFirst());
            } else if (scripted != null && scripted.rawBody() != null) {
                if ("getUpdates".equals(canonical)) polls.incrementAndGet();
                else calls.add(new Call(canonical, params, files, System.nanoTime(), scripted.status()));
                byte[] bytes = scripted.rawBody().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/html");
                ex.sendResponseHeaders(scripted.status(), bytes.length);
                ex.getResponseBody().write(bytes);
                return;
            } else if (scripted != null) {
                if ("getUpdates".equals(canonical)) polls.incrementAndGet();
                status = scripted.status();
                ObjectNode e = error(scripted.status(), scripted.description());
                if (scripted.retryAfter() != null) e.putObject("parameters").put("retry_after", scripted.retryAfter());
                body = e;
            } else if ("getUpdates".equals(canonical)) {
                body = handle(canonical, params, files); // long poll: never under the lock below
                status = body.path("ok").asBoolean() ? 200 : body.path("error_code").asInt(400);
            } else {
                // What the call changes in the chats and its record appear together: a test that saw the message
                // and then reads the calls waits on this lock instead of missing the call.
                synchronized (recording) {
                    body = handle(canonical, params, files);
                    status = body.path("ok").asBoolean() ? 200 : body.path("error_code").asInt(400);
                    calls.add(new Call(canonical == null ? method : canonical, params, files, System.nanoTime(), status));
                }
            }
            if (!"getUpdates".equals(canonical) && (!problems.isEmpty() || scripted != null)) {
                calls.add(new Call(canonical == null ? method : canonical, params, files, System.nanoTime(), status));
            }
            if (problems.isEmpty() && scripted == null && loseAnswer(canonical)) {
                return; // closing the exchange before any response header closes the connection
            }
            reply(ex, status, body);
        } catch (RuntimeException e) {
            violations.add("fake failed on " + ex.getRequestURI().getPath().replace(TOKEN, "<token>") + ": " + e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Failure next(String method) {
        Failure always = alwaysFailing.get(method.toLowerCase(Locale.ROOT));
        if (always != null) return always;
        Deque<Failure> q = failures.get(method.toLowerCase(Locale.ROOT));
        return q == null ? null : q.poll();
    }

    private void read(HttpExchange ex, Map<String, JsonNode> params, Map<String, byte[]> files) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (type == null || raw.length == 0) return;
        if (type.startsWith("application/json")) {
            JsonNode body = json.readTree(raw);
            body.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue()));
        } else if (type.startsWith("multipart/form-data")) {
            String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
            try (var reader = new MultipartReader(Okio.buffer(Okio.source(new java.io.ByteArrayInputStream(raw))), boundary)) {
                for (MultipartReader.Part next = reader.nextPart(); next != null; next = reader.nextPart()) {
                    try (MultipartReader.Part part = next) {
                        String disposition = part.headers().get("Content-Disposition");
                        Matcher name = DISPOSITION_NAME.matcher(disposition == null ? "" : disposition);
                        if (!name.find()) {
                            violations.add("multipart part without a name");
                            continue;
                        }
                        byte[] bytes = part.body().readByteArray();
                        if (DISPOSITION_FILE.matcher(disposition).find()) files.put(name.group(1), bytes);
                        else params.put(name.group(1), new TextNode(new String(bytes, StandardCharsets.UTF_8)));
                    }
                }
            }
        } else {
            violations.add("unexpected content type " + type);
        }
    }

    private JsonNode handle(String method, Map<String, JsonNode> p, Map<String, byte[]> files) throws IOException {
        return switch (method) {
            case "getMe" -> ok(userJson(new User(BOT_ID, "Pictor", BOT_USERNAME)).put("is_bot", true)
                    .put("can_join_groups", true).put("can_read_all_group_messages", false).put("supports_inline_queries", false));
            case "setMyCommands", "sendChatAction" -> ok(nodes.booleanNode(true));
            case "deleteWebhook" -> deleteWebhook(p);
            case "setWebhook" -> setWebhook(p);
            case "getWebhookInfo" -> webhookInfo();
            case "getUpdates" -> getUpdates(p);
            case "sendMessage" -> ok(messageJson(store(p, "text", text(p, "text"), null, null, null, null)));
            case "sendPhoto" -> ok(messageJson(store(p, "photo", null, text(p, "caption"), attachName(p, "photo"),
                    files.get(attachName(p, "photo")), null)));
            case "sendDocument" -> ok(messageJson(store(p, "document", null, text(p, "caption"), attachName(p, "document"),
                    files.get(attachName(p, "document")), null)));
            case "sendMediaGroup" -> sendMediaGroup(p, files);
            case "answerCallbackQuery" -> answerCallback(p);
            case "deleteMessage" -> delete(chatId(p), List.of(p.get("message_id").asInt()));
            case "deleteMessages" -> {
                var ids = new ArrayList<Integer>();
                structure(p.get("message_ids")).forEach(n -> ids.add(n.asInt()));
                yield delete(chatId(p), ids);
            }
            default -> error(404, "Not Found: method " + method);
        };
    }

    private JsonNode getUpdates(Map<String, JsonNode> p) {
        polls.incrementAndGet();
        if (webhook != null) {
            return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        long offset = p.containsKey("offset") ? p.get("offset").asLong() : 0;
        int limit = p.containsKey("limit") ? p.get("limit").asInt() : 100;
        long timeout = p.containsKey("timeout") ? p.get("timeout").asLong() : 0;
        lock.lock();
        try {
            confirm(offset);
            long deadline = System.nanoTime() + Math.min(Duration.ofSeconds(Math.max(0, timeout)).toNanos(), MAX_HOLD.toNanos());
            List<Queued> ready;
            while ((ready = pending(limit)).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                updatesArrived.awaitNanos(left);
            }
            ArrayNode out = nodes.arrayNode();
            ready.forEach(q -> {
                q.delivered = true;
                out.add(q.update);
            });
            return ok(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ok(nodes.arrayNode());
        } finally {
            lock.unlock();
        }
    }

    /**
     * As the Bot API: an offset confirms the delivered updates whose id is below it, and every update before the last
     * of those (so an update whose id cannot be read is confirmed by a later one's).
     */
    private void confirm(long offset) {
        int last = -1;
        for (int i = 0; i < updates.size(); i++) {
            Queued q = updates.get(i);
            JsonNode id = q.update.path("update_id");
            if (q.delivered && id.isIntegralNumber() && id.canConvertToLong() && id.asLong() >= 0 && id.asLong() < offset) last = i;
        }
        if (last >= 0) updates.subList(0, last + 1).clear();
    }

    private List<Queued> pending(int limit) {
        return updates.stream().limit(limit).toList();
    }

    private JsonNode sendMediaGroup(Map<String, JsonNode> p, Map<String, byte[]> files) {
        String group = "mg" + mediaGroups.incrementAndGet();
        ArrayNode out = nodes.arrayNode();
        var names = new HashMap<String, Integer>();
        for (JsonNode media : structure(p.get("media"))) {
            String name = media.path("media").asText().replace("attach://", "");
            if (names.merge(name, 1, Integer::sum) > 1) violations.add("sendMediaGroup: file " + name + " attached twice");
            String caption = media.has("caption") ? media.path("caption").asText() : null;
            out.add(messageJson(store(p, "photo", null, caption, name, files.get(name), group)));
        }
        return ok(out);
    }

    private JsonNode answerCallback(Map<String, JsonNode> p) {
        String id = p.get("callback_query_id").asText();
        String state = callbacks.get(id);
        if (state == null) return error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        if (!callbacks.replace(id, "open", "answered")) violations.add("callback " + id + " answered twice");
        ObjectNode a = nodes.objectNode();
        p.forEach(a::set);
        answers.put(id, a);
        return ok(nodes.booleanNode(true));
    }

    private JsonNode delete(long chatId, List<Integer> ids) {
        boolean any = false;
        for (Sent s : messages) {
            if (s.chatId == chatId && ids.contains(s.messageId) && !s.deleted) {
                s.deleted = true;
                any = true;
            }
        }
        return any ? ok(nodes.booleanNode(true)) : error(400, "Bad Request: message to delete not found");
    }

    private Sent store(Map<String, JsonNode> p, String kind, String text, String caption, String fileName, byte[] file,
                       String mediaGroup) {
        long chatId = chatId(p);
        Integer replyTo = null;
        JsonNode rp = structure(p.get("reply_parameters"));
        if (rp != null && rp.has("message_id")) replyTo = rp.path("message_id").asInt();
        if (p.containsKey("reply_to_message_id")) replyTo = p.get("reply_to_message_id").asInt();
        if (!"text".equals(kind) && file == null) violations.add(kind + " without an uploaded file");
        var sent = new Sent(chatId, nextMessageId(chatId), kind, text, caption, structure(p.get("reply_markup")), replyTo,
                fileName, file, mediaGroup, true, null);
        messages.add(sent);
        return sent;
    }

    // ---- JSON helpers ---------------------------------------------------------------------------------------

    private ObjectNode messageJson(Sent s) {
        ObjectNode m = nodes.objectNode();
        m.put("message_id", s.messageId);
        m.put("date", now());
        Chat chat = chats.getOrDefault(s.chatId, new Chat(s.chatId, s.chatId < 0 ? "supergroup" : "private", null));
        m.set("chat", chatJson(chat));
        m.set("from", s.fromBot ? userJson(new User(BOT_ID, "Pictor", BOT_USERNAME)).put("is_bot", true)
                : userJson(s.author));
        if (s.text != null) m.put("text", s.text);
        if (s.caption != null) m.put("caption", s.caption);
        if (s.mediaGroupId != null) m.put("media_group_id", s.mediaGroupId);
        if ("photo".equals(s.kind)) {
            int[] wh = size(s.file);
            m.putArray("photo").addObject().put("file_id", "f" + s.chatId + "_" + s.messageId)
                    .put("file_unique_id", "u" + s.chatId + "_" + s.messageId).put("width", wh[0]).put("height", wh[1]);
        } else if ("document".equals(s.kind)) {
            m.putObject("document").put("file_id", "f" + s.chatId + "_" + s.messageId)
                    .put("file_unique_id", "u" + s.chatId + "_" + s.messageId).put("file_name", s.fileName);
        }
        // a Message carries only an inline keyboard back (a force_reply is not part of the message)
        if (s.replyMarkup != null && s.replyMarkup.has("inline_keyboard")) m.set("reply_markup", s.replyMarkup);
        return m;
    }

    private ObjectNode chatJson(Chat chat) {
        ObjectNode c = nodes.objectNode().put("id", chat.id()).put("type", chat.type());
        if (chat.title() != null) c.put("title", chat.title());
        return c;
    }

    private ObjectNode userJson(User u) {
        ObjectNode o = nodes.objectNode().put("id", u.id()).put("is_bot", false).put("first_name", u.firstName());
        if (u.username() != null) o.put("username", u.username());
        if (u.languageCode() != null) o.put("language_code", u.languageCode());
        return o;
    }

    private ObjectNode ok(JsonNode result) {
        ObjectNode o = nodes.objectNode().put("ok", true);
        o.set("result", result);
        return o;
    }

    private ObjectNode error(int code, String description) {
        return nodes.objectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private JsonNode structure(JsonNode v) {
        if (v == null) return null;
        if (v.isTextual() && (v.asText().startsWith("{") || v.asText().startsWith("["))) {
            try {
                return json.readTree(v.asText());
            } catch (IOException e) {
                return v;
            }
        }
        return v;
    }

    private static String text(Map<String, JsonNode> p, String name) {
        JsonNode v = p.get(name);
        return v == null ? null : v.asText();
    }

    private static String attachName(Map<String, JsonNode> p, String name) {
        return text(p, name) == null ? null : text(p, name).replace("attach://", "");
    }

    private static long chatId(Map<String, JsonNode> p) {
        return Long.parseLong(p.get("chat_id").asText());
    }

    private int nextMessageId(long chatId) {
        return messageIds.computeIfAbsent(chatId, k -> new AtomicInteger(100)).incrementAndGet();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Width and height from a PNG header (what the bot uploads in these tests); 0×0 otherwise. */
    private static int[] size(byte[] b) {
        if (b == null || b.length < 24 || (b[0] & 0xFF) != 0x89 || b[1] != 'P') return new int[]{0, 0};
        return new int[]{java.nio.ByteBuffer.wrap(b, 16, 4).getInt(), java.nio.ByteBuffer.wrap(b, 20, 4).getInt()};
    }
}
