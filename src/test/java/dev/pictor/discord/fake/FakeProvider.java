package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake gateway: HELLO on connect; READY and a GUILD_CREATE per server of the shard on IDENTIFY; heartbeat
 * acknowledgements; RESUME refused (op 9) so that a reconnecting client identifies again. Plain JSON text frames
 * (the client must not ask for zlib-stream).
 */
final class FakeProvider extends WebSocketServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeDiscord discord;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Map<WebSocket, Session> sessions = new ConcurrentHashMap<>();
    private final List<List<Integer>> identified = new CopyOnWriteArrayList<>();
    private final List<Identify> identifies = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();

    /** One IDENTIFY as the gateway received it: the shard, and when (System.nanoTime). */
    record Identify(int shard, int total, long atNanos) {
    }

    private static final class Session {
        final AtomicInteger seq = new AtomicInteger();
        volatile int shard = -1;
        volatile int total = 1;
    }

    FakeProvider(FakeDiscord discord) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.discord = discord;
        setTcpNoDelay(true);
        setReuseAddr(true);
        setDaemon(true);
        setConnectionLostTimeout(0);
    }

    void startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("fake gateway did not start");
    }

    List<List<Integer>> identified() {
        return List.copyOf(identified);
    }

    List<Identify> identifies() {
        return List.copyOf(identifies);
    }

    /** Gateway connections opened so far. */
    int opened() {
        return opened.get();
    }

    /** Drops every open gateway connection at once, with no close handshake (as a lost TCP connection). */
    void dropAll() {
        for (WebSocket conn : getConnections()) conn.closeConnection(1006, "dropped by the test");
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        String resource = handshake.getResourceDescriptor();
        if (!resource.contains("v=10") || !resource.contains("encoding=json")) {
            discord.violation("gateway connection without v=10&encoding=json: " + resource);
        }
        if (resource.contains("compress=")) discord.violation("gateway asked for compression: " + resource);
        sessions.put(conn, new Session());
        opened.incrementAndGet();
        send(conn, op(10, JSON.createObjectNode().put("heartbeat_interval", 41250)));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Session s = sessions.get(conn);
        if (s == null) return;
        try {
            JsonNode m = JSON.readTree(message);
            switch (m.path("op").asInt()) {
                case 1 -> send(conn, JSON.createObjectNode().put("op", 11));
                case 2 -> identify(conn, s, m.path("d"));
                case 6 -> send(conn, op(9, JSON.getNodeFactory().booleanNode(false)));
                default -> { } // presence updates and the like
            }
        } catch (Exception e) {
            discord.violation("gateway could not read " + message + ": " + e);
        }
        discord.signal();
    }

    private void identify(WebSocket conn, Session s, JsonNode d) {
        if (!FakeDiscord.TOKEN.equals(d.path("token").asText())) discord.violation("IDENTIFY with a wrong token");
        JsonNode shard = d.path("shard");
        s.shard = shard.isArray() ? shard.get(0).asInt() : 0;
        s.total = shard.isArray() ? shard.get(1).asInt() : 1;
        identified.add(List.of(s.shard, s.total));
        identifies.add(new Identify(s.shard, s.total, System.nanoTime()));
        long intents = d.path("intents").asLong();
        if ((intents & ~1L) != 0) discord.violation("IDENTIFY asks for intents beyond GUILDS: " + intents);
        dispatch(conn, s, "READY", discord.readyPayload(s.shard, s.total));
        for (long g : discord.guildsOf(s.shard, s.total)) dispatch(conn, s, "GUILD_CREATE", discord.guildPayload(g));
    }

    /** Sends a dispatch to the shard that owns the server (DMs go to shard 0). */
    void dispatch(Long guildId, String type, JsonNode data) {
        var candidates = new ArrayList<Map.Entry<WebSocket, Session>>();
        for (var e : sessions.entrySet()) {
            Session s = e.getValue();
            if (s.shard < 0 || !e.getKey().isOpen()) continue;
            boolean owns = guildId == null ? s.shard == 0 : (guildId >> 22) % s.total == s.shard;
            if (owns) candidates.add(e);
        }
        if (candidates.isEmpty()) throw new IllegalStateException("no connected shard receives " + type + " for " + guildId);
        for (var e : candidates) dispatch(e.getKey(), e.getValue(), type, data);
    }

    private void dispatch(WebSocket conn, Session s, String type, JsonNode data) {
        ObjectNode p = op(0, data);
        p.put("t", type);
        p.put("s", s.seq.incrementAndGet());
        send(conn, p);
    }

    private static ObjectNode op(int op, JsonNode d) {
        ObjectNode p = JSON.createObjectNode();
        p.put("op", op);
        p.set("d", d);
        return p;
    }

    private void send(WebSocket conn, JsonNode payload) {
        if (conn.isOpen()) conn.send(payload.toString());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        sessions.remove(conn);
        discord.signal();
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) discord.violation("fake gateway error: " + ex);
    }
}
