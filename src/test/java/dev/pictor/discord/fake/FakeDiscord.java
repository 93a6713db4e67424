package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import okhttp3.MultipartReader;
import okio.Buffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An in-process Discord for tests: the REST API under {@link #apiUrl()} (JDK HttpServer) and the gateway under
 * {@link #gatewayUrl()} (a websocket). It speaks enough of the real protocol for JDA: login, READY and GUILD_CREATE,
 * INTERACTION_CREATE for slash commands and buttons, interaction callbacks, webhook followups and edits with files.
 *
 * <p>It checks every REST call against the facts derived from Discord's OpenAPI document
 * ({@code specs/discord-routes.json}): route and method, query parameters, body schema (types, required fields,
 * lengths, item counts), plus the documented limits the spec does not carry — files per message, bytes per file
 * (the interaction's {@code attachment_size_limit}) and per request, acknowledgement within 3 s, one acknowledgement
 * per interaction. Each breach is recorded in {@link #violations()}, and answered the way Discord answers it.
 *
 * <p>It models what members see: a deferred reply is a loading message; a followup sent while that message is
 * still loading replaces it and keeps its visibility (Discord's documented compatibility behaviour); an ephemeral
 * flag counts only on a new message.
 */
public final class FakeDiscord implements AutoCloseable {
    public static final String TOKEN = "fake-bot-token.not-a-secret";
    public static final long APP_ID = 1_100_000_000_000_000_001L;
    public static final long BOT_ID = APP_ID;
    public static final long GUILD_ID = 100L << 22;      // shard 0 of 2
    public static final long GUILD2_ID = 101L << 22;     // shard 1 of 2
    public static final long CHANNEL_ID = GUILD_ID + 1;
    /** A second text channel of the test server, where its admins may manage pictor. */
    public static final long ADMIN_CHANNEL_ID = GUILD_ID + 2;
    public static final long CHANNEL2_ID = GUILD2_ID + 1;
    /** A server the bot is not in (shard 0 of 1 and of 2), reached through a user install. */
    public static final long FOREIGN_GUILD_ID = 200L << 22;

    static final long VIEW_CHANNEL = 1L << 10, SEND_MESSAGES = 1L << 11, EMBED_LINKS = 1L << 14, ATTACH_FILES = 1L << 15,
            READ_HISTORY = 1L << 16, USE_COMMANDS = 1L << 31, MANAGE_GUILD = 1L << 5, MANAGE_MESSAGES = 1L << 13;
    static final long EVERYONE_PERMS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_HISTORY | USE_COMMANDS;

    public record Role(long id, String name, long permissions) {
    }

    public static final Role SUPPORTER = new Role(GUILD_ID + 10, "Supporter", 0);
    public static final Role ADMINS = new Role(GUILD_ID + 11, "Server admin", MANAGE_GUILD);
    public static final Role MODERATORS = new Role(GUILD_ID + 12, "Moderator", MANAGE_MESSAGES);
    /** The second server's own admin role: Manage Server there, nothing in the test server. */
    public static final Role SECOND_ADMINS = new Role(GUILD2_ID + 11, "Second server admin", MANAGE_GUILD);

    public record User(long id, String name, List<Role> roles) {
        public String idString() {
            return Long.toString(id);
        }
    }

    public static final User ALICE = new User(2_000_000_000_000_000_001L, "alice", List.of());
    public static final User BOB = new User(2_000_000_000_000_000_002L, "bob", List.of(SUPPORTER));
    public static final User ADMIN = new User(2_000_000_000_000_000_003L, "ada", List.of(ADMINS));
    public static final User MOD = new User(2_000_000_000_000_000_004L, "moe", List.of(MODERATORS));
    /** Owner and admin of the second server only; a plain member of the test server. */
    public static final User BEA = new User(2_000_000_000_000_000_005L, "bea", List.of(SECOND_ADMINS));

    /** One REST call the bot made, as received. */
    public record Call(long atNanos, String method, String path, String operation, Map<String, String> query,
                       JsonNode json, List<FakeMessage.Attachment> files, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DISCORD_EPOCH = 1420070400000L;
    private static final Pattern COMMAND_NAME = Pattern.compile("^[-_'\\p{L}\\p{N}]{1,32}$");
    /** The keys a {@code name_localizations} or {@code description_localizations} may have: AvailableLocalesEnum of specs/discord-openapi.json. */
    static final Set<String> DISCORD_LOCALES = Set.of("ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES",
            "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE",
            "th", "tr", "uk", "vi", "zh-CN", "zh-TW");

    private final SpecCheck spec = SpecCheck.load();
    private final HttpServer http;
    private final ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final FakeProvider gateway;
    private final Object changed = new Object();
    private final AtomicLong lastSnowflake = new AtomicLong();
    private final AtomicInteger tokens = new AtomicInteger();

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger handling = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> habits = ConcurrentHashMap.newKeySet();
    private final Map<Long, FakeInteraction> interactions = new ConcurrentHashMap<>();
    private final Map<String, FakeInteraction> byToken = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> commands = new ConcurrentHashMap<>(); // "global" or guild id → commands
    private final Map<Long, String> locales = new ConcurrentHashMap<>(); // user id → the client's language
    private final Map<Long, List<FakeMessage>> channelMessages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rateLimits = new ConcurrentHashMap<>();
    private final AtomicInteger failUploads = new AtomicInteger();
    private final AtomicInteger loseCallbacks = new AtomicInteger();
    private volatile CallbackHold callbackHold;
    private final AtomicInteger callbacksHeld = new AtomicInteger();
    private volatile Duration awaitTimeout = Duration.ofSeconds(10);
    private volatile int recommendedShards = 1;
    private volatile int maxConcurrency = 16;
    private volatile boolean recordCalls = true;
    private final List<Long> servers = new CopyOnWriteArrayList<>();

    private FakeDiscord() throws IOException, InterruptedException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        http.setExecutor(httpThreads);
        http.createContext("/api/v10/", this::handle);
        http.start();
        gateway = new FakeProvider(this);
        gateway.startAndWait();
    }

    public static FakeDiscord start() {
        try {
            return new FakeDiscord();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/v10/";
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.getPort();
    }

    public SpecCheck spec() {
        return spec;
    }

    public FakeDiscord awaitTimeout(Duration timeout) {
        this.awaitTimeout = timeout;
        return this;
    }

    /** What {@code GET /gateway/bot} recommends. */
    public FakeDiscord recommendShards(int n) {
        this.recommendedShards = n;
        return this;
    }

    /** What {@code GET /gateway/bot} says of {@code session_start_limit.max_concurrency} (default 16). */
    public FakeDiscord maxConcurrency(int n) {
        this.maxConcurrency = n;
        return this;
    }

    /**
     * One more server the bot is in, beside the two built in: its channel is {@code guildId + 1}, its only role
     * {@code @everyone}, its owner {@link #ADMIN}. It arrives, as the built-in ones do, on the shard that owns it
     * ({@code (guildId >> 22) % total}); see {@link #serverOnShard}.
     */
    public FakeDiscord withServer(long guildId) {
        if (guildId == GUILD_ID || guildId == GUILD2_ID || guildId == FOREIGN_GUILD_ID || servers.contains(guildId)) {
            throw new IllegalArgumentException("server " + guildId + " is already known to the fake");
        }
        servers.add(guildId);
        return this;
    }

    /**
     * The id of a server that lands on {@code shard} of {@code total}, the {@code n}-th such (from 0), clear of the
     * built-in servers: Discord routes a server's events to shard {@code (guild_id >> 22) % total}.
     */
    public static long serverOnShard(int n, int shard, int total) {
        if (shard < 0 || shard >= total) throw new IllegalArgumentException("shard " + shard + " of " + total);
        long base = 1000L * total; // far above the built-in 100, 101 and 200
        return (base + (long) n * total + shard) << 22;
    }

    /** Keep the call log (off in the benchmark, which only needs acknowledgement times). */
    public FakeDiscord recordCalls(boolean on) {
        this.recordCalls = on;
        return this;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The JDA habits the fake tolerated (see {@link JdaWireHabits}). */
    public Set<String> habitsSeen() {
        return Set.copyOf(habits);
    }

    /** The violations recorded since the last drain, clearing them. */
    public synchronized List<String> drainViolations() {
        var out = List.copyOf(violations);
        violations.removeAll(out);
        return out;
    }

    /** Every REST call so far; waits (up to 2 s) for requests still being answered so that none is missed. */
    public List<Call> calls() {
        awaitAnswered();
        return List.copyOf(calls);
    }

    public List<Call> calls(String operation) {
        awaitAnswered();
        return calls.stream().filter(c -> operation.equals(c.operation())).toList();
    }

    /** A request is recorded after its answer is sent: wait until no handler is between the two. */
    private void awaitAnswered() {
        long until = System.nanoTime() + 2_000_000_000L;
        while (handling.get() > 0 && System.nanoTime() < until) Thread.onSpinWait();
    }

    /** Drops every open gateway connection, with no close handshake (as a lost TCP connection). */
    public void dropGatewayConnections() {
        gateway.dropAll();
    }

    /** Gateway connections opened so far. */
    public int gatewayConnectionsOpened() {
        return gateway.opened();
    }

    /** Each IDENTIFY the gateway received, with its shard and the nanoTime it arrived, in order. */
    public List<IdentifyAt> identifies() {
        return gateway.identifies().stream().map(i -> new IdentifyAt(i.shard(), i.total(), i.atNanos())).toList();
    }

    /** One IDENTIFY: the shard and when it arrived ({@link System#nanoTime}). */
    public record IdentifyAt(int shard, int total, long atNanos) {
    }

    /** The shards that identified, as [id, total] pairs. */
    public List<List<Integer>> identifiedShards() {
        return gateway.identified();
    }

    /** The next {@code times} calls of {@code operation} get a 429 with Retry-After, X-RateLimit-Bucket and Via. */
    public void rateLimitNext(String operation, int times) {
        rateLimits.computeIfAbsent(operation, k -> new AtomicInteger()).addAndGet(times);
    }

    /** The next interaction callback is answered 404 Unknown interaction, as Discord does for one it lost. */
    public void loseNextInteraction() {
        loseCallbacks.set(1);
    }

    /** Interaction callbacks held unanswered, let through in the order they came. */
    public final class CallbackHold {
        private final java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0, true);

        /** Answers the callback held longest. */
        public void releaseOne() {
            gate.release();
        }

        /** Answers every held callback and holds no more. */
        public void releaseAll() {
            callbackHold = null;
            gate.release(Integer.MAX_VALUE / 2);
        }
    }

    /**
     * Discord slow to take acknowledgements: the interaction callbacks that come from now on wait, unanswered, until
     * released (or the await timeout passes).
     */
    public CallbackHold holdCallbacks() {
        var hold = new CallbackHold();
        callbackHold = hold;
        return hold;
    }

    /** Interaction callbacks waiting in {@link #holdCallbacks} right now. */
    public int callbacksHeld() {
        return callbacksHeld.get();
    }

    /** The next upload (an edit of the reply that carries files) is refused with {@code status}, as Discord may. */
    public void failNextUpload(int status) {
        failUploads.set(status);
    }

    /** From now on {@code user}'s client says {@code locale} (e.g. {@code pt-BR}) on every interaction; else en-US. */
    public void clientLocale(User user, String locale) {
        locales.put(user.id(), locale);
    }

    /** The commands registered globally ({@code "global"}) or in a guild (its id). */
    public JsonNode awaitCommands(String scope) {
        return await(() -> commands.get(scope), "commands registered for " + scope);
    }

    public void forgetCommands() {
        commands.clear();
    }

    // ---------------------------------------------------------------- sending interactions

    /** A member runs a slash command in the test server's channel; options in the order given. */
    public FakeInteraction slash(User user, String command, Map<String, Object> options) {
        return slash(user, GUILD_ID, CHANNEL_ID, command, null, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A slash command whose interaction carries a different {@code attachment_size_limit}. */
    public FakeInteraction slash(User user, String command, Map<String, Object> options, long attachmentLimit) {
        return slash(user, GUILD_ID, CHANNEL_ID, command, null, options, attachmentLimit);
    }

    /** A subcommand ({@code /pictor grant …}). */
    public FakeInteraction subcommand(User user, String command, String sub, Map<String, Object> options) {
        return slash(user, GUILD_ID, CHANNEL_ID, command, sub, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A subcommand in another channel of the test server ({@link #ADMIN_CHANNEL_ID}, say). */
    public FakeInteraction subcommandIn(long channel, User user, String command, String sub, Map<String, Object> options) {
        return slash(user, GUILD_ID, channel, command, sub, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A subcommand in the second server ({@code /pictor pool …} there). */
    public FakeInteraction subcommandInSecondGuild(User user, String command, String sub, Map<String, Object> options) {
        return slash(user, GUILD2_ID, CHANNEL2_ID, command, sub, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A slash command in the second server (on shard 1 of 2). */
    public FakeInteraction slashInSecondGuild(User user, String command, Map<String, Object> options) {
        return slash(user, GUILD2_ID, CHANNEL2_ID, command, null, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A slash command in the general channel of a server added with {@link #withServer}. */
    public FakeInteraction slashInServer(long guildId, User user, String command, Map<String, Object> options) {
        if (!servers.contains(guildId)) throw new IllegalArgumentException("the bot is in no server " + guildId);
        return slash(user, guildId, guildId + 1, command, null, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A slash command in a server where pictor is not installed, through the member's own (user) install. */
    public FakeInteraction slashInForeignGuild(User user, String command, Map<String, Object> options) {
        return slash(user, FOREIGN_GUILD_ID, FOREIGN_GUILD_ID + 1, command, null, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    /** A slash command in the member's DM with the bot. */
    public FakeInteraction slashInDm(User user, String command, Map<String, Object> options) {
        return slash(user, null, dmChannel(user), command, null, options, spec.limit("defaultAttachmentSizeLimit"));
    }

    private FakeInteraction slash(User user, Long guildId, long channelId, String command, String sub,
                                  Map<String, Object> options, long attachmentLimit) {
        JsonNode declared = declaredCommand(guildId, command);
        ObjectNode data = JSON.createObjectNode();
        data.put("id", declared.path("id").asText());
        data.put("name", command);
        data.put("type", 1);
        ArrayNode opts = data.putArray("options");
        JsonNode declaredOptions = declared.path("options");
        ArrayNode target = opts;
        if (sub != null) {
            JsonNode subDecl = find(declaredOptions, sub, "subcommand of /" + command);
            ObjectNode s = opts.addObject();
            s.put("name", sub);
            s.put("type", 1);
            target = s.putArray("options");
            declaredOptions = subDecl.path("options");
        }
        ObjectNode resolved = null;
        for (var e : options.entrySet()) {
            JsonNode decl = find(declaredOptions, e.getKey(), "option of /" + command);
            ObjectNode o = target.addObject();
            o.put("name", e.getKey());
            int type = decl.path("type").asInt();
            o.put("type", type);
            Object v = e.getValue();
            switch (type) {
                case 3 -> o.put("value", (String) v);
                case 4 -> o.put("value", ((Number) v).longValue());
                case 5 -> o.put("value", (Boolean) v);
                case 6 -> {
                    User u = (User) v;
                    o.put("value", u.idString());
                    if (resolved == null) resolved = data.putObject("resolved");
                    resolved.withObject("users").set(u.idString(), userJson(u));
                    if (guildId != null) {
                        ObjectNode m = memberJson(u, guildId);
                        m.remove("user");
                        resolved.withObject("members").set(u.idString(), m);
                    }
                }
                default -> throw new IllegalArgumentException("option type " + type + " not supported by the fake");
            }
            checkOptionValue(command, decl, o.get("value"));
        }
        for (JsonNode d : declaredOptions) {
            if (d.path("required").asBoolean(false) && !options.containsKey(d.path("name").asText())) {
                throw new IllegalArgumentException("Discord would not send /" + command + " without " + d.path("name").asText());
            }
        }
        return dispatchInteraction(2, user, guildId, channelId, data, null, attachmentLimit);
    }

    /** A member presses a button on a message. */
    public FakeInteraction click(User user, FakeMessage message, String customId) {
        if (message.deleted) throw new IllegalArgumentException("nobody can click on a deleted message");
        if (!message.buttonIds().contains(customId)) throw new IllegalArgumentException("no button " + customId + " on " + message);
        return forgeClick(user, message, customId);
    }

    /**
     * A modified client presses a button on a message with a custom id of its own choosing (another job's, or
     * garbage): everything else in the interaction is what Discord itself would send for that message.
     */
    public FakeInteraction forgeClick(User user, FakeMessage message, String customId) {
        if (message.deleted) throw new IllegalArgumentException("nobody can click on a deleted message");
        ObjectNode data = JSON.createObjectNode();
        data.put("custom_id", customId);
        data.put("component_type", 2);
        Long guildId = message.channelId == CHANNEL_ID ? Long.valueOf(GUILD_ID)
                : message.channelId == CHANNEL2_ID ? Long.valueOf(GUILD2_ID)
                : message.channelId == FOREIGN_GUILD_ID + 1 ? Long.valueOf(FOREIGN_GUILD_ID)
                : servers.contains(message.channelId - 1) ? Long.valueOf(message.channelId - 1) : null;
        return dispatchInteraction(3, user, guildId, message.channelId, data, message, spec.limit("defaultAttachmentSizeLimit"));
    }

    private FakeInteraction dispatchInteraction(int type, User user, Long guildId, long channelId, ObjectNode data,
                                                FakeMessage clicked, long attachmentLimit) {
        long id = interactionId();
        String token = "itk-" + tokens.incrementAndGet() + "-" + Long.toHexString(id);
        var interaction = new FakeInteraction(this, id, token, type, user, guildId, channelId, attachmentLimit, clicked);
        interactions.put(id, interaction);
        byToken.put(token, interaction);

        ObjectNode d = JSON.createObjectNode();
        d.put("id", Long.toString(id));
        d.put("application_id", Long.toString(APP_ID));
        d.put("type", type);
        d.put("token", token);
        d.put("version", 1);
        d.put("locale", locales.getOrDefault(user.id(), "en-US"));
        d.put("attachment_size_limit", attachmentLimit);
        d.putArray("entitlements");
        d.put("app_permissions", Long.toString(EVERYONE_PERMS));
        if (guildId != null) {
            d.put("context", 0);
            if (guildId == FOREIGN_GUILD_ID) d.putObject("authorizing_integration_owners").put("1", user.idString());
            else d.putObject("authorizing_integration_owners").put("0", Long.toString(guildId));
            d.put("guild_id", Long.toString(guildId));
            d.put("guild_locale", "en-US");
            ObjectNode g = d.putObject("guild");
            g.put("id", Long.toString(guildId));
            g.put("locale", "en-US");
            g.putArray("features");
            ObjectNode ch = d.putObject("channel");
            ch.put("id", Long.toString(channelId));
            ch.put("type", 0);
            ch.put("guild_id", Long.toString(guildId));
            ch.put("name", "general");
            ch.put("position", 0);
            ch.put("permissions", Long.toString(permissions(user, guildId)));
            d.put("channel_id", Long.toString(channelId));
            d.set("member", memberJson(user, guildId));
        } else {
            d.put("context", 1);
            d.putObject("authorizing_integration_owners").put("0", "0");
            ObjectNode ch = d.putObject("channel");
            ch.put("id", Long.toString(channelId));
            ch.put("type", 1);
            ch.putArray("recipients").add(userJson(user));
            d.put("channel_id", Long.toString(channelId));
            d.set("user", userJson(user));
        }
        if (clicked != null) d.set("message", messageJson(clicked));
        d.set("data", data);
        interaction.dispatchedNanos = System.nanoTime();
        gateway.dispatch(guildId, "INTERACTION_CREATE", d);
        return interaction;
    }

    private JsonNode declaredCommand(Long guildId, String name) {
        JsonNode list = commands.get(guildId == null ? "global" : Long.toString(guildId));
        if (list == null) list = commands.get("global");
        if (list != null) {
            for (JsonNode c : list) if (name.equals(c.path("name").asText())) return c;
        }
        throw new IllegalArgumentException("Discord would not send /" + name + ": the bot did not register it");
    }

    private static JsonNode find(JsonNode declared, String name, String what) {
        for (JsonNode d : declared) if (name.equals(d.path("name").asText())) return d;
        throw new IllegalArgumentException("Discord would not send the " + what + " '" + name + "': not declared");
    }

    /** Discord's client only lets members pick declared choices and values within the declared range. */
    private static void checkOptionValue(String command, JsonNode decl, JsonNode value) {
        if (decl.has("choices") && decl.get("choices").size() > 0) {
            boolean ok = false;
            for (JsonNode c : decl.get("choices")) ok |= c.path("value").equals(value);
            if (!ok) throw new IllegalArgumentException("/" + command + " " + decl.path("name").asText() + ": " + value + " is not a choice");
        }
        if (decl.has("min_value") && value.asLong() < decl.get("min_value").asLong()
                || decl.has("max_value") && value.asLong() > decl.get("max_value").asLong()) {
            throw new IllegalArgumentException("/" + command + " " + decl.path("name").asText() + ": " + value + " out of range");
        }
    }

    // ---------------------------------------------------------------- REST

    private void handle(HttpExchange ex) {
        long at = System.nanoTime();
        handling.incrementAndGet();
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath().substring("/api/v10".length());
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            var found = spec.route(method, path);
            if (found.isEmpty()) {
                violation(method + " " + path + ": no such route in Discord's API");
                respond(ex, 404, error(0, "404: Not Found"));
                return;
            }
            SpecCheck.Route route = found.get().getKey();
            Map<String, String> params = found.get().getValue();
            for (String q : query.keySet()) {
                if (JdaWireHabits.toleratedQuery(route.operation(), q)) habits.add("?" + q + " on " + route.operation());
                else if (!route.query().contains(q)) violation(route.operation() + ": unknown query parameter " + q);
            }
            checkHeaders(ex, route);
            AtomicInteger limited = rateLimits.get(route.operation());
            if (limited != null && limited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                record(at, method, path, route, query, null, List.of(), 429);
                rateLimited(ex);
                return;
            }
            Body parsed = parseBody(ex, route, body);
            if (!parsed.files.isEmpty() && route.operation().equals("update_original_webhook_message")) {
                int fail = failUploads.getAndSet(0);
                if (fail != 0) {
                    record(at, method, path, route, query, parsed.json, parsed.files, fail);
                    respond(ex, fail, error(0, "upload refused by the test"));
                    return;
                }
            }
            if (body.length > spec.limit("maxRequestBytes")) {
                violation(route.operation() + ": request of " + body.length + " bytes exceeds Discord's "
                        + spec.limit("maxRequestBytes") + " bytes");
                respond(ex, 413, error(40005, "Request entity too large"));
                return;
            }
            int status = switch (route.operation()) {
                case "get_my_user" -> respond(ex, 200, userJson(new User(BOT_ID, "pictor", List.of())).put("bot", true));
                case "get_bot_gateway" -> respond(ex, 200, gatewayBot());
                case "bulk_set_application_commands" -> respond(ex, 200, commandsSet("global", parsed.json));
                case "bulk_set_guild_application_commands" -> respond(ex, 200, commandsSet(params.get("guild_id"), parsed.json));
                case "create_interaction_response" -> callback(ex, params, query, parsed, at);
                case "execute_webhook" -> followup(ex, params, query, parsed);
                case "update_original_webhook_message" -> editOriginal(ex, params, parsed);
                case "delete_original_webhook_message" -> deleteOriginal(ex, params);
                case "create_dm" -> respond(ex, 200, dmChannelJson(parsed.json == null ? "" : parsed.json.path("recipient_id").asText()));
                case "create_message" -> createMessage(ex, params, parsed);
                default -> {
                    violation(route.operation() + ": the fake does not serve it");
                    yield respond(ex, 404, error(0, "404: Not Found"));
                }
            };
            record(at, method, path, route, query, parsed.json, parsed.files, status);
        } catch (RuntimeException | IOException e) {
            violation("the fake failed on " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            try {
                respond(ex, 500, error(0, "fake failure"));
            } catch (IOException ignored) {
                // the exchange is gone
            }
        } finally {
            handling.decrementAndGet();
            signal();
        }
    }

    private void record(long at, String method, String path, SpecCheck.Route route, Map<String, String> query,
                        JsonNode json, List<FakeMessage.Attachment> files, int status) {
        if (recordCalls) calls.add(new Call(at, method, path, route.operation(), query, json, files, status));
    }

    private void checkHeaders(HttpExchange ex, SpecCheck.Route route) {
        String ua = ex.getRequestHeaders().getFirst("User-Agent");
        if (ua == null || !ua.startsWith("DiscordBot (")) violation(route.operation() + ": User-Agent must be 'DiscordBot (url, version)', was " + ua);
        boolean tokenRoute = route.path().startsWith("/webhooks/") || route.path().startsWith("/interactions/");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!tokenRoute && !("Bot " + TOKEN).equals(auth)) violation(route.operation() + ": missing or wrong bot Authorization");
    }

    private record Body(JsonNode json, List<FakeMessage.Attachment> files) {
    }

    private Body parseBody(HttpExchange ex, SpecCheck.Route route, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (body.length == 0) {
            if (route.bodyRequired()) violation(route.operation() + ": the spec requires a body");
            return new Body(null, List.of());
        }
        if (type == null) {
            violation(route.operation() + ": a body without Content-Type");
            return new Body(null, List.of());
        }
        String mime = type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        JsonNode json;
        var files = new ArrayList<FakeMessage.Attachment>();
        if (mime.equals("application/json")) {
            json = JSON.readTree(body);
        } else if (mime.equals("multipart/form-data")) {
            String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
            json = null;
            Set<String> declared = spec.declaredFileParts(route);
            try (var reader = new MultipartReader(new Buffer().write(body), boundary)) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = part.headers().get("Content-Disposition");
                    String name = param(disposition, "name");
                    byte[] bytes = part.body().readByteArray();
                    if ("payload_json".equals(name)) {
                        json = JSON.readTree(bytes);
                    } else if (name != null && name.matches("files\\[\\d+]")) {
                        if (!declared.isEmpty() && !declared.contains(name)) {
                            violation(route.operation() + ": file part " + name + " is not declared by the spec");
                        }
                        files.add(new FakeMessage.Attachment(Long.parseLong(name.replaceAll("\\D", "")),
                                param(disposition, "filename"), bytes));
                    } else {
                        violation(route.operation() + ": unexpected multipart part " + name);
                    }
                }
            }
            if (json == null) violation(route.operation() + ": multipart body without payload_json");
        } else {
            violation(route.operation() + ": unexpected Content-Type " + type);
            return new Body(null, List.of());
        }
        if (json != null) {
            habits.addAll(JdaWireHabits.normalize(route.operation(), json));
            for (String p : spec.checkBody(route, mime, json)) violation(route.operation() + ": " + p);
        }
        if (files.size() > spec.limit("maxFilesPerMessage")) {
            violation(route.operation() + ": " + files.size() + " files, Discord takes at most " + spec.limit("maxFilesPerMessage"));
        }
        return new Body(json, List.copyOf(files));
    }

    private static String param(String disposition, String key) {
        if (disposition == null) return null;
        var m = Pattern.compile(key + "=\"([^\"]*)\"").matcher(disposition);
        return m.find() ? m.group(1) : null;
    }

    private ObjectNode gatewayBot() {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", gatewayUrl());
        o.put("shards", recommendedShards);
        ObjectNode l = o.putObject("session_start_limit");
        l.put("total", 1000);
        l.put("remaining", 999);
        l.put("reset_after", 0);
        l.put("max_concurrency", maxConcurrency);
        return o;
    }

    private JsonNode commandsSet(String scope, JsonNode list) {
        ArrayNode out = JSON.createArrayNode();
        if (list == null || !list.isArray()) return out;
        for (JsonNode c : list) {
            String name = c.path("name").asText();
            if (!COMMAND_NAME.matcher(name).matches() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                violation("command name '" + name + "' is not 1-32 lower-case letters, digits, - or _");
            }
            checkOptionNames(name, c.path("options"));
            checkLocalizations("/" + name, c);
            ObjectNode o = ((ObjectNode) c).deepCopy();
            o.put("id", Long.toString(snowflake()));
            o.put("application_id", Long.toString(APP_ID));
            o.put("version", Long.toString(snowflake()));
            if (!o.has("type")) o.put("type", 1);
            if (!"global".equals(scope)) o.put("guild_id", scope);
            out.add(o);
        }
        commands.put(scope, out);
        return out;
    }

    /**
     * Discord's rules for localizations, on a command, its options, their choices and subcommands: only locales Discord
     * knows; a localized name follows the name rules (lower case for commands and options), a description 1-100
     * characters, a choice name 1-100.
     */
    private void checkLocalizations(String where, JsonNode node) {
        node.path("name_localizations").properties().forEach(e -> {
            if (!DISCORD_LOCALES.contains(e.getKey())) violation(where + ": name_localizations has an unknown locale " + e.getKey());
            String n = e.getValue().asText();
            boolean choice = where.contains(" choice ");
            if (choice ? n.isEmpty() || n.length() > 100
                    : !COMMAND_NAME.matcher(n).matches() || !n.equals(n.toLowerCase(java.util.Locale.ROOT))) {
                violation(where + ": localized name '" + n + "' (" + e.getKey() + ") breaks Discord's name rules");
            }
        });
        node.path("description_localizations").properties().forEach(e -> {
            if (!DISCORD_LOCALES.contains(e.getKey())) violation(where + ": description_localizations has an unknown locale " + e.getKey());
            String d = e.getValue().asText();
            if (d.isEmpty() || d.codePointCount(0, d.length()) > 100) {
                violation(where + ": localized description (" + e.getKey() + ") is not 1-100 characters: " + d);
            }
        });
        for (JsonNode o : node.path("options")) checkLocalizations(where + " " + o.path("name").asText(), o);
        for (JsonNode ch : node.path("choices")) checkLocalizations(where + " choice " + ch.path("name").asText(), ch);
    }

    private void checkOptionNames(String command, JsonNode options) {
        for (JsonNode o : options) {
            String n = o.path("name").asText();
            if (!COMMAND_NAME.matcher(n).matches() || !n.equals(n.toLowerCase(java.util.Locale.ROOT))) {
                violation("/" + command + ": option name '" + n + "' is not 1-32 lower-case letters, digits, - or _");
            }
            if (o.has("choices") && o.path("autocomplete").asBoolean(false)) {
                violation("/" + command + " " + n + ": autocomplete cannot be combined with choices");
            }
            checkOptionNames(command, o.path("options"));
        }
    }

    private int callback(HttpExchange ex, Map<String, String> params, Map<String, String> query, Body body, long at)
            throws IOException {
        var hold = callbackHold;
        if (hold != null) {
            callbacksHeld.incrementAndGet();
            try {
                hold.gate.tryAcquire(awaitTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                callbacksHeld.decrementAndGet();
            }
        }
        FakeInteraction i = interactions.get(Long.parseLong(params.get("interaction_id")));
        if (i == null || !i.token.equals(params.get("interaction_token"))) {
            violation("callback for an unknown interaction " + params.get("interaction_id"));
            return respond(ex, 404, error(10062, "Unknown interaction"));
        }
        long late = at - i.dispatchedNanos;
        if (loseCallbacks.getAndSet(0) != 0) {
            i.ack = new FakeInteraction.Ack(-1, 0, late);
            return respond(ex, 404, error(10062, "Unknown interaction"));
        }
        synchronized (i) {
            if (i.ack != null) {
                violation("interaction " + i.id + " acknowledged twice");
                return respond(ex, 400, error(40060, "Interaction has already been acknowledged."));
            }
            if (late > spec.limit("acknowledgeWithinMillis") * 1_000_000L) {
                violation("interaction " + i.id + " acknowledged after " + late / 1_000_000 + " ms");
                i.ack = new FakeInteraction.Ack(-1, 0, late);
                return respond(ex, 404, error(10062, "Unknown interaction"));
            }
            JsonNode json = body.json == null ? JSON.createObjectNode() : body.json;
            int type = json.path("type").asInt();
            JsonNode data = json.path("data");
            int flags = data.path("flags").asInt(0);
            i.ack = new FakeInteraction.Ack(type, flags, late);
            switch (type) {
                case 4 -> {
                    var m = new FakeMessage(snowflake(), i.channelId, i.id, flags & FakeMessage.EPHEMERAL);
                    apply(m, data, body.files, i);
                    i.original = m;
                }
                case 5 -> i.original = new FakeMessage(snowflake(), i.channelId, i.id,
                        FakeMessage.LOADING | (flags & FakeMessage.EPHEMERAL));
                case 6, 7 -> {
                    if (i.clicked == null) {
                        violation("callback type " + type + " is only for component interactions");
                        return respond(ex, 400, error(40004, "Invalid interaction response type"));
                    }
                    i.original = i.clicked;
                    if (type == 7) apply(i.clicked, data, body.files, i);
                }
                default -> {
                    violation("callback type " + type + " is not one pictor may use");
                    return respond(ex, 400, error(50035, "Invalid Form Body"));
                }
            }
        }
        if ("true".equals(query.get("with_response"))) {
            ObjectNode r = JSON.createObjectNode();
            ObjectNode in = r.putObject("interaction");
            in.put("id", Long.toString(i.id));
            in.put("type", i.type);
            FakeMessage o = i.original;
            in.put("response_message_id", Long.toString(o.id));
            in.put("response_message_loading", o.loading());
            in.put("response_message_ephemeral", o.ephemeral());
            ObjectNode res = r.putObject("resource");
            res.put("type", i.ack.type());
            if (i.ack.type() == 4 || i.ack.type() == 7) res.set("message", messageJson(o));
            return respond(ex, 200, r);
        }
        return respond(ex, 204, null);
    }

    private FakeInteraction byWebhook(Map<String, String> params) {
        if (!Long.toString(APP_ID).equals(params.get("webhook_id"))) return null;
        FakeInteraction i = byToken.get(params.get("webhook_token"));
        if (i == null || i.ack == null || i.ack.type() < 0) return null;
        return i;
    }

    private int followup(HttpExchange ex, Map<String, String> params, Map<String, String> query, Body body) throws IOException {
        FakeInteraction i = byWebhook(params);
        if (i == null) {
            violation("followup to an unknown or unacknowledged interaction");
            return respond(ex, 404, error(10015, "Unknown Webhook"));
        }
        JsonNode data = body.json == null ? JSON.createObjectNode() : body.json;
        FakeMessage m;
        synchronized (i) {
            FakeMessage o = i.original;
            if (o != null && o.loading() && !o.deleted && i.ack.type() == 5) {
                m = o; // the deferred reply is replaced; its visibility stays what the deferral chose
                apply(m, data, body.files, i);
                m.flags = m.flags & ~FakeMessage.LOADING;
            } else {
                m = new FakeMessage(snowflake(), i.channelId, i.id, data.path("flags").asInt(0) & FakeMessage.EPHEMERAL);
                apply(m, data, body.files, i);
                i.followups.add(m);
            }
        }
        return "true".equals(query.get("wait")) ? respond(ex, 200, messageJson(m)) : respond(ex, 204, null);
    }

    private int editOriginal(HttpExchange ex, Map<String, String> params, Body body) throws IOException {
        FakeInteraction i = byWebhook(params);
        if (i == null) {
            violation("edit of the reply to an unknown or unacknowledged interaction");
            return respond(ex, 404, error(10015, "Unknown Webhook"));
        }
        FakeMessage o;
        synchronized (i) {
            o = i.original;
            if (o == null || o.deleted) {
                return respond(ex, 404, error(10008, "Unknown Message"));
            }
            apply(o, body.json == null ? JSON.createObjectNode() : body.json, body.files, i);
            o.flags = o.flags & ~FakeMessage.LOADING;
        }
        return respond(ex, 200, messageJson(o));
    }

    private ObjectNode dmChannelJson(String recipient) {
        ObjectNode ch = JSON.createObjectNode();
        if (!recipient.matches("\\d{1,20}")) {
            violation("create_dm without a recipient_id");
            return ch;
        }
        long user = Long.parseLong(recipient);
        ch.put("id", Long.toString(dmChannel(new User(user, "member", List.of()))));
        ch.put("type", 1);
        ch.putNull("last_message_id");
        ch.putArray("recipients").add(userJson(new User(user, "member", List.of())));
        return ch;
    }

    private int createMessage(HttpExchange ex, Map<String, String> params, Body body) throws IOException {
        long channel = Long.parseLong(params.get("channel_id"));
        var m = new FakeMessage(snowflake(), channel, 0, 0);
        var unlimited = new FakeInteraction(this, 0, "", 0, null, null, channel, spec.limit("defaultAttachmentSizeLimit"), null);
        apply(m, body.json == null ? JSON.createObjectNode() : body.json, body.files, unlimited);
        channelMessages.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(m);
        ObjectNode json = messageJson(m);
        json.put("type", 0);
        json.remove("webhook_id");
        return respond(ex, 200, json);
    }

    /** The messages the bot sent to a channel by itself (not through an interaction). */
    public List<FakeMessage> channelMessages(long channel) {
        return List.copyOf(channelMessages.getOrDefault(channel, List.of()));
    }

    /** The messages the bot sent to a member's DM channel (not through an interaction). */
    public List<FakeMessage> directMessagesTo(User user) {
        return List.copyOf(channelMessages.getOrDefault(dmChannel(user), List.of()));
    }

    private int deleteOriginal(HttpExchange ex, Map<String, String> params) throws IOException {
        FakeInteraction i = byWebhook(params);
        if (i == null) {
            violation("delete of the reply to an unknown or unacknowledged interaction");
            return respond(ex, 404, error(10015, "Unknown Webhook"));
        }
        synchronized (i) {
            FakeMessage o = i.original;
            if (o == null || o.deleted) return respond(ex, 404, error(10008, "Unknown Message"));
            o.deleted = true;
        }
        return respond(ex, 204, null);
    }

    /** Applies a message body (content, components, attachments) as Discord does, checking the upload limits. */
    private void apply(FakeMessage m, JsonNode data, List<FakeMessage.Attachment> files, FakeInteraction i) {
        if (data.has("content")) m.content = data.get("content").isNull() ? "" : data.get("content").asText();
        if (data.has("components")) m.components = withIds(data.get("components").deepCopy(), new AtomicInteger(1));
        for (FakeMessage.Attachment f : files) {
            if (f.size() > i.attachmentLimit) {
                violation("file " + f.filename() + " is " + f.size() + " bytes; this interaction allows "
                        + i.attachmentLimit + " per file");
            }
        }
        if (data.has("attachments") && data.get("attachments").isArray()) {
            var kept = new ArrayList<FakeMessage.Attachment>();
            for (JsonNode a : data.get("attachments")) {
                long id = a.path("id").asLong();
                FakeMessage.Attachment existing = m.attachments.stream().filter(x -> x.id() == id).findFirst().orElse(null);
                if (existing != null) {
                    kept.add(existing);
                    continue;
                }
                FakeMessage.Attachment upload = files.stream().filter(f -> f.id() == id).findFirst().orElse(null);
                if (upload == null) {
                    violation("attachment " + a + " refers to no uploaded file");
                    continue;
                }
                String name = a.hasNonNull("filename") ? a.get("filename").asText() : upload.filename();
                kept.add(new FakeMessage.Attachment(snowflake(), name, upload.bytes()));
            }
            for (FakeMessage.Attachment f : files) {
                if (kept.stream().noneMatch(k -> k.bytes() == f.bytes())) violation("file " + f.filename() + " uploaded but not listed in attachments");
            }
            m.attachments = List.copyOf(kept);
        } else if (!files.isEmpty()) {
            var all = new ArrayList<>(m.attachments);
            files.forEach(f -> all.add(new FakeMessage.Attachment(snowflake(), f.filename(), f.bytes())));
            m.attachments = List.copyOf(all);
        }
        if (m.attachments.size() > spec.limit("maxFilesPerMessage")) {
            violation("message " + m.id + " would carry " + m.attachments.size() + " files");
        }
        m.edits++;
    }

    private static JsonNode withIds(JsonNode components, AtomicInteger next) {
        if (components.isArray()) components.forEach(c -> withIds(c, next));
        else if (components.isObject()) {
            ObjectNode o = (ObjectNode) components;
            if (!o.has("id")) o.put("id", next.getAndIncrement());
            if (o.has("components")) withIds(o.get("components"), next);
        }
        return components;
    }

    private void rateLimited(HttpExchange ex) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Retry-After", "1");
        h.set("X-RateLimit-Limit", "5");
        h.set("X-RateLimit-Remaining", "0");
        h.set("X-RateLimit-Reset-After", "0.2");
        h.set("X-RateLimit-Bucket", "fake-bucket-" + Integer.toHexString(ex.getRequestURI().getPath().hashCode()));
        h.set("X-RateLimit-Scope", "user");
        h.set("Via", "1.1 google");
        ObjectNode body = JSON.createObjectNode();
        body.put("message", "You are being rate limited.");
        body.put("retry_after", 0.2);
        body.put("global", false);
        respond(ex, 429, body);
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        return e;
    }

    private static int respond(HttpExchange ex, int status, JsonNode body) throws IOException {
        if (body == null || status == 204) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        return status;
    }

    private static Map<String, String> query(String raw) {
        var q = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    // ---------------------------------------------------------------- payloads

    ObjectNode readyPayload(int shard, int total) {
        ObjectNode d = JSON.createObjectNode();
        d.put("v", 10);
        d.set("user", userJson(new User(BOT_ID, "pictor", List.of())).put("bot", true));
        ArrayNode guilds = d.putArray("guilds");
        for (long g : guildsOf(shard, total)) guilds.addObject().put("id", Long.toString(g)).put("unavailable", true);
        d.put("session_id", "session-" + shard + "-" + snowflake());
        d.put("resume_gateway_url", gatewayUrl());
        d.putObject("application").put("id", Long.toString(APP_ID)).put("flags", 0);
        d.putArray("private_channels");
        d.putArray("shard").add(shard).add(total);
        return d;
    }

    List<Long> guildsOf(int shard, int total) {
        var out = new ArrayList<Long>();
        var all = new ArrayList<>(List.of(GUILD_ID, GUILD2_ID));
        all.addAll(servers);
        for (long g : all) if ((g >> 22) % total == shard) out.add(g);
        return out;
    }

    ObjectNode guildPayload(long guildId) {
        long channel = guildId + 1; // CHANNEL_ID, CHANNEL2_ID, and an added server's
        ObjectNode g = JSON.createObjectNode();
        g.put("id", Long.toString(guildId));
        g.put("name", guildId == GUILD_ID ? "Test server" : guildId == GUILD2_ID ? "Second server" : "Server " + (guildId >> 22));
        g.putNull("icon");
        g.put("owner_id", guildId == GUILD2_ID ? BEA.idString() : ADMIN.idString());
        g.put("afk_timeout", 300);
        g.put("member_count", 5);
        g.put("large", false);
        g.put("unavailable", false);
        g.put("verification_level", 0);
        g.put("default_message_notifications", 0);
        g.put("explicit_content_filter", 0);
        g.put("mfa_level", 0);
        g.put("nsfw_level", 0);
        g.put("premium_tier", 0);
        g.putArray("features");
        g.put("preferred_locale", "en-US");
        g.put("system_channel_flags", 0);
        g.put("joined_at", Instant.now().toString());
        ArrayNode roles = g.putArray("roles");
        roles.add(roleJson(new Role(guildId, "@everyone", EVERYONE_PERMS), 0));
        int pos = 1;
        for (Role r : List.of(SUPPORTER, ADMINS, MODERATORS, SECOND_ADMINS)) {
            if (inGuild(r, guildId)) roles.add(roleJson(r, pos++));
        }
        ArrayNode channels = g.putArray("channels");
        ObjectNode ch = channels.addObject();
        ch.put("id", Long.toString(channel));
        ch.put("type", 0);
        ch.put("name", "general");
        ch.put("position", 0);
        ch.putArray("permission_overwrites");
        if (guildId == GUILD_ID) {
            ObjectNode admins = channels.addObject();
            admins.put("id", Long.toString(ADMIN_CHANNEL_ID));
            admins.put("type", 0);
            admins.put("name", "pictor-admin");
            admins.put("position", 1);
            admins.putArray("permission_overwrites");
        }
        ArrayNode members = g.putArray("members");
        members.add(memberJson(new User(BOT_ID, "pictor", List.of()), guildId));
        for (String empty : List.of("threads", "guild_scheduled_events", "emojis", "stickers", "voice_states",
                "presences", "stage_instances", "soundboard_sounds")) {
            g.putArray(empty);
        }
        return g;
    }

    private static ObjectNode roleJson(Role r, int position) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", Long.toString(r.id()));
        o.put("name", r.name());
        o.put("permissions", Long.toString(r.permissions()));
        o.put("position", position);
        o.put("color", 0);
        ObjectNode colors = o.putObject("colors");
        colors.put("primary_color", 0);
        colors.putNull("secondary_color");
        colors.putNull("tertiary_color");
        o.put("hoist", false);
        o.put("managed", false);
        o.put("mentionable", false);
        o.put("flags", 0);
        return o;
    }

    static ObjectNode userJson(User u) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", u.idString());
        o.put("username", u.name());
        o.put("discriminator", "0");
        o.put("global_name", u.name().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + u.name().substring(1));
        o.putNull("avatar");
        o.put("public_flags", 0);
        return o;
    }

    private ObjectNode memberJson(User u, long guildId) {
        ObjectNode m = JSON.createObjectNode();
        m.set("user", userJson(u));
        ArrayNode roles = m.putArray("roles");
        u.roles().stream().filter(r -> inGuild(r, guildId)).forEach(r -> roles.add(Long.toString(r.id())));
        m.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
        m.put("deaf", false);
        m.put("mute", false);
        m.put("flags", 0);
        m.put("pending", false);
        m.put("permissions", Long.toString(permissions(u, guildId)));
        return m;
    }

    /** A role belongs to the server whose id it was made from (roles are {@code guild id + n}). */
    private static boolean inGuild(Role r, long guildId) {
        return r.id() >> 22 == guildId >> 22;
    }

    /** What the member may do in that server: @everyone's permissions and those of their roles there. */
    private static long permissions(User u, long guildId) {
        long p = EVERYONE_PERMS;
        for (Role r : u.roles()) if (inGuild(r, guildId)) p |= r.permissions();
        return p;
    }

    private ObjectNode messageJson(FakeMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", Long.toString(m.id));
        o.put("type", 20);
        o.put("channel_id", Long.toString(m.channelId));
        o.set("author", userJson(new User(BOT_ID, "pictor", List.of())).put("bot", true));
        o.put("content", m.content);
        o.put("timestamp", Instant.ofEpochMilli((m.id >> 22) + DISCORD_EPOCH).toString());
        o.putNull("edited_timestamp");
        o.put("tts", false);
        o.put("mention_everyone", false);
        o.putArray("mentions");
        o.putArray("mention_roles");
        ArrayNode atts = o.putArray("attachments");
        for (FakeMessage.Attachment a : m.attachments) {
            ObjectNode x = atts.addObject();
            x.put("id", Long.toString(a.id()));
            x.put("filename", a.filename());
            x.put("size", a.size());
            x.put("url", "http://127.0.0.1/attachments/" + a.id() + "/" + a.filename());
            x.put("proxy_url", "http://127.0.0.1/attachments/" + a.id() + "/" + a.filename());
        }
        o.putArray("embeds");
        o.put("pinned", false);
        o.put("flags", m.flags & ~FakeMessage.LOADING);
        o.put("webhook_id", Long.toString(APP_ID));
        o.put("application_id", Long.toString(APP_ID));
        if (m.components != null) o.set("components", m.components);
        else o.putArray("components");
        return o;
    }

    private long dmChannel(User u) {
        return u.id() + 7;
    }

    private final java.util.concurrent.atomic.AtomicLong nextInteractionAge = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The next interaction is created as if Discord had made it {@code age} ago: its id's timestamp is that old, so
     * the bot's interaction token runs out (15 min after the id's time) while it works.
     */
    public void ageNextInteraction(java.time.Duration age) {
        nextInteractionAge.set(age.toMillis());
    }

    /** An interaction id, aged if the test asked for it (low bits keep it unique). */
    private long interactionId() {
        long age = nextInteractionAge.getAndSet(0);
        if (age == 0) return snowflake();
        return ((System.currentTimeMillis() - age - DISCORD_EPOCH) << 22) | (tokens.get() & 0x3FFFFF);
    }

    long snowflake() {
        long base = (System.currentTimeMillis() - DISCORD_EPOCH) << 22;
        return lastSnowflake.updateAndGet(prev -> Math.max(prev + 1, base));
    }

    // ---------------------------------------------------------------- waiting

    void violation(String what) {
        violations.add(what);
    }

    void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** Waits until {@code probe} gives a value; fails the test with {@code what} when it does not in time. */
    public <T> T await(Supplier<T> probe, String what) {
        return await(probe, () -> what);
    }

    /** As {@link #await(Supplier, String)}, the description built when the wait fails (so it shows the state then). */
    public <T> T await(Supplier<T> probe, Supplier<String> what) {
        long deadline = System.nanoTime() + awaitTimeout.toNanos();
        synchronized (changed) {
            while (true) {
                T v = probe.get();
                if (v != null) return v;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("timed out waiting for " + what.get() + "; violations: " + violations);
                try {
                    changed.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what.get());
                }
            }
        }
    }

    /** Waits a little for anything more to arrive (for asserting that something did NOT happen). */
    public void settle(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (changed) {
            while (System.nanoTime() < deadline) {
                try {
                    changed.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public List<FakeInteraction> interactions() {
        return List.copyOf(interactions.values());
    }

    @Override
    public void close() {
        http.stop(0);
        httpThreads.shutdownNow();
        try {
            gateway.stop(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
