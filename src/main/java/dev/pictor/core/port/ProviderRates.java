package dev.pictor.core.port;

import java.time.Duration;

/**
 * The request rates of providers whose plan allows so many calls per period per key ({@code providers.<name>.rate},
 * e.g. {@code 60/1m}), counted for every process on the store: a process takes a provider's next turn before it
 * calls, so that the cluster together stays within the plan. A provider without a rate is never held back.
 */
@FunctionalInterface
public interface ProviderRates {
    /** No provider has a rate: every call may go at once. */
    ProviderRates NONE = (provider, maxWait) -> Duration.ZERO;

    /**
     * Takes one call of {@code provider}'s rate. Returns {@link Duration#ZERO} when the call may go now; the wait
     * before its turn when that is no longer than {@code maxWait} (the turn is then taken: the caller waits so long and
     * calls); or {@code null} when the next free turn is further off than {@code maxWait}, and nothing was taken.
     */
    Duration reserve(String provider, Duration maxWait);
}
