package dev.pictor.provider;

import java.net.http.HttpClient;

/**
 * The JDK {@link HttpClient} of the providers' generation calls ({@link HttpClients#forProviders()}), built on the
 * first call rather than at start: building it loads and links the JDK's HTTP client and starts its selector thread,
 * 0.2–0.6 s on this project's 2-core machine after OkHttp's start (docs/benchmarks.md, issue #15), which start-up
 * would otherwise wait for. One per process, shared by every provider.
 */
public final class ProviderClient {
    private volatile HttpClient client;
    private boolean stopped; // guarded by this

    ProviderClient() {
    }

    /** The client, built at the first call. */
    HttpClient get() {
        HttpClient c = client;
        if (c != null) return c;
        synchronized (this) {
            if (stopped) throw new IllegalStateException("the providers' HTTP client is shut down");
            if (client == null) client = HttpClients.buildForProviders();
            return client;
        }
    }

    /** Whether the client has been built (a call was made). */
    public boolean started() {
        return client != null;
    }

    /** Aborts the calls in flight and releases the client's connections and thread, if it was ever built. */
    public void shutdownNow() {
        HttpClient c;
        synchronized (this) {
            stopped = true;
            c = client;
        }
        if (c != null) c.shutdownNow();
    }
}
