package dev.pictor.discord;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.internal.utils.SerializationUtil;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bot profile's connection to Discord, opened before the bot serves (issue #15: at start, while the store is still
 * opening): the REST login and JDA's set-up run at once; each shard's IDENTIFY waits at the {@link IdentifyGate},
 * and any event that arrives before {@link #serve} is kept for the bot's listener, so that none is lost or handled
 * half-built.
 */
public final class DiscordConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscordConnection.class);

    /** Jackson buffers JDA's JSON keeps for reuse, at most (see {@link #JDA_JSON_BUFFERS}). */
    static final int JDA_JSON_RECYCLERS = 16;

    /**
     * The pool of Jackson buffers JDA reads and writes its JSON with: one shared by every thread, of at most
     * {@link #JDA_JSON_RECYCLERS} sets of buffers. Jackson's default keeps a set (an 8 KB {@code char[4000]} and
     * more) in a thread-local of every thread that used it; JDA's REST requests run on its "RateLimit-Elastic"
     * workers, a pool that grows with the requests in flight (~130 threads in a burst of 1,000 interactions) and keeps
     * a thread 60 s, so a burst left ~1 MB of them (issue #15; found in a heap dump of {@code StartupBench heap}).
     */
    static final RecyclerPool<BufferRecycler> JDA_JSON_BUFFERS = JsonRecyclerPools.newBoundedPool(JDA_JSON_RECYCLERS);

    static {
        // JDA's one ObjectMapper (internal, shared by all its JSON) is reached through the writer it hands out
        SerializationUtil.getObjectWriter(false).getFactory().setRecyclerPool(JDA_JSON_BUFFERS);
    }

    private final Handover handover = new Handover();
    private volatile JDA jda;
    private volatile ShardManager shards;

    private DiscordConnection() {
    }

    /** Logs in (this blocks for the REST login, not for the gateway); the gateway's sessions connect in the background. */
    public static DiscordConnection open(DiscordBotSettings settings, IdentifyGate identify) {
        var c = new DiscordConnection();
        var rest = new RestConfig().setBaseUrl(settings.restBase());
        var compression = settings.gatewayCompression() ? Compression.ZLIB : Compression.NONE;
        if (settings.sharded()) {
            c.shards = DefaultShardManagerBuilder.createLight(settings.token(), List.of())
                    .setRestConfig(rest)
                    .setHttpClientBuilder(restHttpClient())
                    .setRequestTimeoutRetry(false)
                    .setSessionController(new ProfileSessionController(settings.gatewayUrl(), identify))
                    .setCompression(compression)
                    .setShardsTotal(settings.shardTotal())
                    .setShards(settings.runShards())
                    .setEventPassthrough(true) // the interaction's attachment_size_limit is only in the raw data
                    .setEnableShutdownHook(false)
                    .addEventListeners(c.handover)
                    .build();
        } else {
            c.jda = JDABuilder.createLight(settings.token(), List.of())
                    .setRestConfig(rest)
                    .setHttpClientBuilder(restHttpClient())
                    .setRequestTimeoutRetry(false)
                    .setSessionController(new ProfileSessionController(settings.gatewayUrl(), identify))
                    .setCompression(compression)
                    .setEventPassthrough(true)
                    .setEnableShutdownHook(false)
                    .addEventListeners(c.handover)
                    .build();
        }
        return c;
    }

    /** Idle connections JDA's REST client keeps (see {@link #restHttpClient()}). */
    static final int REST_IDLE_CONNECTIONS = 64;

    /**
     * The OkHttp client JDA's REST requests use: JDA's own defaults (at most 25 requests per host, connections kept
     * 10 s), but up to {@link #REST_IDLE_CONNECTIONS} idle connections kept instead of 5, and never re-sending a
     * request after a connection failure. Each job makes three requests a second or so apart (acknowledgement,
     * "Generating…", the images): with 5 kept, a burst's connections were closed between them and opened anew for
     * the next (where the REST base speaks HTTP/1.1, e.g. a REST proxy; HTTP/2 to Discord shares one anyway). OkHttp's
     * default would post a message twice when the connection drops after Discord acted; JDA's own repeat after a
     * socket error or timeout is turned off too ({@code setRequestTimeoutRetry(false)}). JDA still repeats a request
     * answered 502–529 (up to 3 times, a Discord/Cloudflare gateway error); that cannot be configured.
     */
    static OkHttpClient.Builder restHttpClient() {
        var dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(25);
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(REST_IDLE_CONNECTIONS, 10, TimeUnit.SECONDS))
                .dispatcher(dispatcher)
                .retryOnConnectionFailure(false);
    }

    /** From now on every event (those that waited first) goes to {@code listener}. */
    void serve(EventListener listener) {
        handover.serve(listener);
    }

    /** The one connection when the profile runs no shards; null otherwise. */
    JDA jda() {
        return jda;
    }

    /** The shards this process runs, when the profile sets shards; null otherwise. */
    ShardManager shards() {
        return shards;
    }

    /** Disconnects, letting requests already queued finish (up to 10 s); events that still come are dropped. */
    @Override
    public void close() {
        handover.serve(event -> {
        });
        try {
            if (jda != null) {
                jda.shutdown();
                if (!jda.awaitShutdown(Duration.ofSeconds(10))) jda.shutdownNow();
            }
            if (shards != null) shards.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (jda != null) jda.shutdownNow();
        } finally {
            jda = null;
            shards = null;
        }
    }

    /**
     * JDA's listener until the bot's own is handed over: an event before that (JDA's status changes while it logs in,
     * on the thread that logs in) is kept, and handed over first, in order.
     */
    private static final class Handover implements EventListener {
        private final List<GenericEvent> early = new java.util.ArrayList<>();
        private volatile EventListener listener;

        synchronized void serve(EventListener l) {
            if (listener != null) return;
            for (GenericEvent e : early) {
                try {
                    l.onEvent(e); // as JDA's event manager does: a listener's failure is logged, the next event goes on
                } catch (RuntimeException | Error failure) {
                    log.error("an event kept from before the bot served failed ({})", e.getClass().getSimpleName(), failure);
                    if (failure instanceof Error error) throw error; // as JDA's event manager does: logged, not swallowed
                }
            }
            early.clear();
            listener = l;
        }

        @Override
        public void onEvent(GenericEvent event) {
            EventListener l = listener;
            if (l == null) {
                synchronized (this) {
                    l = listener;
                    if (l == null) {
                        early.add(event);
                        return;
                    }
                }
            }
            l.onEvent(event);
        }
    }
}
