package dev.pictor.core;

import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderRates;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.ImageProvider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The configured providers by provider name, each with its own limit of concurrent calls in this process
 * ({@code max-concurrent}), its request rate shared by every process on the store ({@link ProviderRates}), and the
 * circuit breakers of the routes through them ({@link RouteBreakers}). A provider that is configured but has no key
 * is simply absent: routes naming it are skipped.
 */
public final class ProviderSlots {
    /** How long a call waits for its turn in a provider's rate by default before the next route is tried. */
    public static final Duration DEFAULT_RATE_WAIT = Duration.ofSeconds(30);

    private final Map<String, Limited> byName = new LinkedHashMap<>();
    private final RouteBreakers breakers;
    private final ProviderRates rates;

    /** Slots whose routes have no breaker and whose providers no rate: every route is always tried at once. */
    public ProviderSlots() {
        this(RouteBreakers.none());
    }

    public ProviderSlots(RouteBreakers breakers) {
        this(breakers, ProviderRates.NONE);
    }

    public ProviderSlots(RouteBreakers breakers, ProviderRates rates) {
        this.breakers = breakers;
        this.rates = rates;
    }

    /** The routes' circuit breakers, for {@code /healthz} and {@code /metrics}. */
    public RouteBreakers breakers() {
        return breakers;
    }

    public ProviderSlots add(ImageProvider provider, int maxConcurrent) {
        return add(provider, maxConcurrent, DEFAULT_RATE_WAIT);
    }

    /**
     * Adds a provider with {@code maxConcurrent} calls in flight in this process; a call waits up to
     * {@code rateWait} for its turn in the provider's rate (if it has one) before the next route is tried.
     */
    public ProviderSlots add(ImageProvider provider, int maxConcurrent, Duration rateWait) {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        if (rateWait.isNegative()) throw new IllegalArgumentException("rateWait must not be negative");
        byName.put(provider.name(), new Limited(provider, new Semaphore(maxConcurrent, true), rates, rateWait));
        return this;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    Optional<Limited> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A call that found no turn in its provider's rate within the wait allowed: nothing was called or taken. */
    static final class OverRate extends Exception {
        OverRate(String provider, Duration rateWait) {
            super("no turn in " + provider + "'s rate within " + rateWait.toSeconds() + " s");
        }
    }

    /**
     * A provider behind a fair semaphore (callers beyond {@code max-concurrent} wait their turn) and its shared rate
     * (a caller whose turn is at most {@code rateWait} away waits for it).
     */
    record Limited(ImageProvider provider, Semaphore permits, ProviderRates rates, Duration rateWait) {
        /**
         * Calls the provider once a slot is free and its rate gives a turn; if the caller has to wait for either,
         * {@code onWait} runs before the wait and {@code onResume} after it. A turn further off than the wait allowed
         * throws {@link OverRate} without a call, so that the next route is tried.
         */
        ProviderResult call(ProviderCall call, Runnable onWait, Runnable onResume, Sleeper sleeper)
                throws ProviderException, InterruptedException, OverRate {
            if (!permits.tryAcquire()) {
                onWait.run();
                JobLogContext.aside(() -> { // the job's MDC: no maps on a waiting thread
                    permits.acquire();
                    return null;
                });
                onResume.run();
            }
            try {
                // the turn is taken with the slot held, so that the call goes out when its turn comes
                Duration turn = rates.reserve(provider.name(), rateWait);
                if (turn == null) throw new OverRate(provider.name(), rateWait);
                if (turn.isPositive()) {
                    onWait.run();
                    JobLogContext.aside(() -> {
                        sleeper.sleep(turn);
                        return null;
                    });
                    onResume.run();
                }
                return provider.generate(call);
            } finally {
                permits.release();
            }
        }
    }
}
