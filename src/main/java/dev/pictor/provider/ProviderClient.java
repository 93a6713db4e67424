package dev.pictor.provider;

import java.net.http.HttpClient;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK {@link HttpClient} of the providers' generation calls ({@link HttpClients#forProviders()}), built on the
 * first call rather than at start: building it loads and links the JDK's HTTP client and starts its selector thread,
 * 0.2–0.6 s on this project's 2-core machine after OkHttp's start (docs/benchmarks.md, issue #15), which start-up
 * would otherwise wait for. One per process, shared by every provider. The jobs of a first burst wait for that build
 * together, on a lock rather than {@code synchronized}: on Java 21 a virtual thread waiting to enter a monitor pins its
 * carrier, and a burst's waiting jobs would hold every carrier (and so every other virtual thread) for that long.
 */
public final class ProviderClient {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpClient client;
    private boolean stopped; // guarded by lock

    ProviderClient() {
    }

    /** The client, built at the first call. */
    HttpClient get() {
        HttpClient c = client;
        if (c != null) return c;
        lock.lock();
        try {
            if (stopped) throw new IllegalStateException("the providers' HTTP client is shut down");
            if (client == null) client = HttpClients.buildForProviders();
            return client;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the client has been built (a call was made). */
    public boolean started() {
        return client != null;
    }

    /** Aborts the calls in flight and releases the client's connections and thread, if it was ever built. */
    public void shutdownNow() {
        HttpClient c;
        lock.lock();
        try {
            stopped = true;
            c = client;
        } finally {
            lock.unlock();
        }
        if (c != null) c.shutdownNow();
    }
}
