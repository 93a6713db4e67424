package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.port.ProviderRates;
import dev.pictor.store.Database;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The providers' request rates ({@code providers.<name>.rate: 60/1m}) as Bucket4j buckets in the store's
 * {@code quota_buckets} table, beside the quota's, so that every process on the database takes its turns from the
 * same bucket: the cluster together calls a provider at most so often. Each rate refills greedily (a call comes back
 * every period / calls), and a call whose turn is not free yet reserves the next one (Bucket4j's
 * reserve-and-wait, one compare-and-swap on the bucket's row in one transaction, locked on PostgreSQL): callers from
 * all processes are given turns in the order they asked, none sooner than the rate allows.
 *
 * <p>A bucket's key names the provider and its rate ({@code provider:aimlapi:60/1m}), so that a changed rate starts
 * a bucket of its own; the old one expires like an idle quota bucket.
 */
public final class ProviderRateBuckets implements ProviderRates {
    private final Database db;
    private final SqliteProxyManager buckets;
    private final Map<String, LimitSpec> rates;
    private final Map<String, BucketConfiguration> configurations;

    /** The rates of {@code rates} (provider name → its rate); providers not named there are not held back. */
    public ProviderRateBuckets(Database db, Clock clock, Map<String, LimitSpec> rates) {
        this.db = db;
        this.rates = Map.copyOf(rates);
        this.buckets = SqliteProxyManager.on(db, clock);
        var configs = new java.util.HashMap<String, BucketConfiguration>();
        this.rates.forEach((provider, rate) -> configs.put(provider, BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(rate.images()).refillGreedy(rate.images(), rate.period()).build())
                .build()));
        this.configurations = Map.copyOf(configs);
    }

    @Override
    public Duration reserve(String provider, Duration maxWait) {
        LimitSpec rate = rates.get(provider);
        if (rate == null) return Duration.ZERO;
        BucketConfiguration configuration = configurations.get(provider);
        var bucket = buckets.builder().build("provider:" + provider + ":" + rate, () -> configuration);
        if (!maxWait.isPositive()) return db.write(d -> bucket.tryConsume(1)) ? Duration.ZERO : null;
        long[] wait = {0};
        // Bucket4j reserves the turn and then asks its strategy to park the thread: the wait is handed to the caller
        boolean taken = db.write(d -> bucket.asBlocking()
                .tryConsumeUninterruptibly(1, maxWait.toNanos(), nanos -> wait[0] = nanos));
        return taken ? Duration.ofNanos(wait[0]) : null;
    }
}
