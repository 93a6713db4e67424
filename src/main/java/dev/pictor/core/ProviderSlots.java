package dev.pictor.core;

import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.ImageProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The configured providers by provider name, each with its own limit of concurrent calls, and the circuit breakers
 * of the routes through them ({@link RouteBreakers}). A provider that is configured but has no key is simply absent:
 * routes naming it are skipped.
 */
public final class ProviderSlots {
    private final Map<String, Limited> byName = new LinkedHashMap<>();
    private final RouteBreakers breakers;

    /** Slots whose routes have no breaker: every route is always tried. */
    public ProviderSlots() {
        this(RouteBreakers.none());
    }

    public ProviderSlots(RouteBreakers breakers) {
        this.breakers = breakers;
    }

    /** The routes' circuit breakers, for {@code /healthz} and {@code /metrics}. */
    public RouteBreakers breakers() {
        return breakers;
    }

    public ProviderSlots add(ImageProvider provider, int maxConcurrent) {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        byName.put(provider.name(), new Limited(provider, new Semaphore(maxConcurrent, true)));
        return this;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    Optional<Limited> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A provider behind a fair semaphore: callers beyond the limit wait their turn. */
    record Limited(ImageProvider provider, Semaphore permits) {
        /**
         * Calls the provider once a slot is free; if the caller has to wait, {@code onWait} runs before the wait and
         * {@code onResume} once the slot is taken.
         */
        ProviderResult call(ProviderCall call, Runnable onWait, Runnable onResume) throws ProviderException, InterruptedException {
            if (!permits.tryAcquire()) {
                onWait.run();
                permits.acquire();
                onResume.run();
            }
            try {
                return provider.generate(call);
            } finally {
                permits.release();
            }
        }
    }
}
