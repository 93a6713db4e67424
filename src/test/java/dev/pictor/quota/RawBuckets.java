package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.store.Database;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;

import java.util.List;
import java.util.function.BooleanSupplier;

/** The SQLite proxy manager alone, for the benchmark: Bucket4j's compare-and-swap with and without a transaction. */
public final class RawBuckets {
    private final Database db;
    private final SqliteProxyManager buckets;
    private final BucketConfiguration configuration = Limits.configuration(List.of(LimitSpec.parse("1000000/1m"), LimitSpec.parse("100000000/1d")));

    public RawBuckets(Database db) {
        this.db = db;
        this.buckets = new SqliteProxyManager(db, ClientSideConfig.getDefault());
    }

    /** {@code tryConsume(1)} on bucket {@code key}: a SELECT and an UPDATE … WHERE state = ?, each on its own. */
    public BooleanSupplier compareAndSwap(String key) {
        var bucket = buckets.builder().build(key, () -> configuration);
        return () -> bucket.tryConsume(1);
    }

    /** The same inside {@code BEGIN IMMEDIATE … COMMIT}: the write lock first, so the compare never fails. */
    public BooleanSupplier lockedCompareAndSwap(String key) {
        var bucket = buckets.builder().build(key, () -> configuration);
        return () -> db.write(d -> bucket.tryConsume(1));
    }
}
