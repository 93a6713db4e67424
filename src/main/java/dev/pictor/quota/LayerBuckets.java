package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.store.Database;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Bucket4j buckets of the quota layers, kept in SQLite: a layer's bucket gets a new configuration version when
 * its resolved limits change, replaced on its next use with {@link TokensInheritanceStrategy#ADDITIVE}.
 */
final class LayerBuckets {
    private final QuotaSubjects subjects;
    private final SqliteProxyManager buckets;
    private final Map<String, BucketConfiguration> configurations = new ConcurrentHashMap<>();

    LayerBuckets(Database db, Clock clock, QuotaSubjects subjects) {
        this.subjects = subjects;
        this.buckets = SqliteProxyManager.on(db, clock);
    }

    /** Builds the bucket of a layer, bumping the subject's version first if its resolved limits changed. */
    BucketProxy of(Database d, QuotaLayers.Layer layer, QuotaLayers.Row row) throws SQLException {
        long version = subjects.ensureApplied(d, layer.subject(), layer.spec(), row);
        BucketConfiguration configuration = configurations.computeIfAbsent(layer.spec(),
                s -> Limits.configuration(layer.limits().stream().map(LimitSpec::parse).toList()));
        return buckets.builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.ADDITIVE)
                .build(layer.subject(), () -> configuration);
    }

    /**
     * Refills every limit of the subject's bucket as stored (whatever plan it has now); a missing bucket is full
     * already. {@code fallback} configures the bucket's proxy and is never written over a stored one.
     */
    void refill(String subject, BucketConfiguration fallback) {
        if (buckets.exists(subject)) buckets.builder().build(subject, () -> fallback).reset();
    }

    /** Deletes the rows of buckets that have been full for {@link BucketQuota#KEEP_FULL}; returns how many. */
    int purgeIdle() {
        int total = 0, n;
        do {
            n = buckets.removeExpired(1_000);
            total += n;
        } while (n == 1_000);
        return total;
    }
}
