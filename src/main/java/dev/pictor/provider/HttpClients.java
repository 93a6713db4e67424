package dev.pictor.provider;

import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The OkHttp client the whole service shares (image downloads, and the bots' HTTP if they want it): one connection
 * pool and one dispatcher; and the JDK client of the providers' generation calls ({@link #forProviders()}).
 *
 * <p>Sized for many concurrent calls: downloads are synchronous on virtual threads (the dispatcher's limits
 * only apply to asynchronous calls, which run on virtual threads too, up to {@value #MAX_REQUESTS} at once), and up
 * to {@value #MAX_IDLE_CONNECTIONS} idle keep-alive connections are kept so that a burst does not reconnect (the
 * providers' connections are the JDK client's, pooled apart: a burst of N jobs keeps up to 2N connections).
 * Concurrency per provider is limited by the core ({@code ProviderSlots}), not here.
 *
 * <p><b>No hidden repeats.</b> {@code retryOnConnectionFailure} is off: OkHttp's default re-sends a request,
 * POSTs included, when the connection fails after it was written, although the server may already have acted
 * (a photo posted twice, a provider billed twice). Only pictor's own retry logic repeats a request, where repeating
 * is safe: the core's retry policy for provider calls, {@code TelegramApi}'s for Telegram calls whose answer says
 * nothing was done. Clients derived with {@code newBuilder()} inherit the setting; the ones pictor derives also set
 * it themselves, except the image fetcher, which only sends GETs (see {@link HttpImageFetcher}). The JDK client
 * never re-sends a POST that may have reached the server (see {@link ProviderHttp}).
 */
public final class HttpClients {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_REQUESTS = 1024;
    public static final int MAX_REQUESTS_PER_HOST = 512;
    public static final int MAX_IDLE_CONNECTIONS = 512;
    public static final Duration KEEP_ALIVE = Duration.ofMinutes(2);

    private HttpClients() {
    }

    /** A new shared client; build it once in the composition root and pass it around. */
    public static OkHttpClient create() {
        var dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("okhttp-", 0).factory()));
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .writeTimeout(WRITE_TIMEOUT)
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * The client of the providers' generation calls ({@link ProviderHttp}), built once in the composition root:
     * the JDK's non-blocking client, so that a job waiting for its images holds no blocked socket read and no deep
     * stack (docs/benchmarks.md, issue #15). One selector thread serves every call; what completes a call runs on
     * virtual threads. Connect timeout {@link #CONNECT_TIMEOUT}; each provider sets its own call timeout; redirects
     * are not followed (a POST answered with one is an answer like any other). It is built at the first call
     * ({@link ProviderClient}); close it with {@code shutdownNow()}.
     */
    public static ProviderClient forProviders() {
        // now, not when the client is built: the first HttpRequest built (before the client, in ProviderHttp.post)
        // already makes the JDK read them
        jdkClientDefaults();
        return new ProviderClient();
    }

    /** Builds the JDK client {@link #forProviders()} describes (at its first call). */
    static java.net.http.HttpClient buildForProviders() {
        return java.net.http.HttpClient.newBuilder()
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("provider-http-", 0).factory()))
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
    }

    /** The JDK client's read buffer per connection, in bytes ({@code jdk.httpclient.bufsize}, the JDK's default 16 KB). */
    static final int JDK_READ_BUFFER = 4096;

    /**
     * Sets what the JDK client reads from system properties, when the JVM's options did not: each connection keeps
     * what is left of its last read buffer as long as it lives, pooled or not, so 4 KB instead of 16 KB (with 1,000
     * pooled connections: ~10 MB less live heap; docs/benchmarks.md, issue #15); at most {@link #MAX_IDLE_CONNECTIONS}
     * idle connections, kept {@link #KEEP_ALIVE}, as the OkHttp client does (the JDK's defaults: no bound, 30 s). The
     * JDK reads them once, when its HTTP classes are first used in the process (a request built, a client built): an
     * explicit {@code -D} wins.
     */
    static void jdkClientDefaults() {
        defaultProperty("jdk.httpclient.bufsize", Integer.toString(JDK_READ_BUFFER));
        defaultProperty("jdk.httpclient.connectionPoolSize", Integer.toString(MAX_IDLE_CONNECTIONS));
        defaultProperty("jdk.httpclient.keepalive.timeout", Long.toString(KEEP_ALIVE.toSeconds()));
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) System.setProperty(name, value);
    }

    /** Releases the client's threads and idle connections (at shutdown). */
    public static void close(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
