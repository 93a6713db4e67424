package dev.pictor.core;

import dev.pictor.core.port.GatewayCall;
import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayResult;
import dev.pictor.core.port.ImageGateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The configured gateways by provider name, each with its own limit of concurrent calls. A provider that is
 * configured but has no key is simply absent: routes naming it are skipped.
 */
public final class Gateways {
    private final Map<String, Limited> byName = new LinkedHashMap<>();

    public Gateways add(ImageGateway gateway, int maxConcurrent) {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        byName.put(gateway.name(), new Limited(gateway, new Semaphore(maxConcurrent, true)));
        return this;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    Optional<Limited> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A gateway behind a fair semaphore: callers beyond the limit wait their turn. */
    record Limited(ImageGateway gateway, Semaphore permits) {
        /**
         * Calls the gateway once a slot is free; if the caller has to wait, {@code onWait} runs before the wait and
         * {@code onResume} once the slot is taken.
         */
        GatewayResult call(GatewayCall call, Runnable onWait, Runnable onResume) throws GatewayException, InterruptedException {
            if (!permits.tryAcquire()) {
                onWait.run();
                permits.acquire();
                onResume.run();
            }
            try {
                return gateway.generate(call);
            } finally {
                permits.release();
            }
        }
    }
}
