package dev.pictor.quota;

import dev.pictor.store.Database;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Bucket4j buckets kept in the {@code quota_buckets} table, on SQLite or PostgreSQL (the name is from when there was
 * only SQLite; Bucket4j has no SQLite module). Each change is a compare-and-swap: {@code UPDATE … WHERE id = ? AND
 * state = ?}, retried by Bucket4j when another writer got there first, so that several processes never grant more
 * than a limit. Every operation runs on the caller's {@link Database} transaction: a charge over several layers
 * (member, community pool, bot cap) reads and changes all its buckets in the one transaction of
 * {@link BucketQuota#charge}, which commits them all or, when a later layer refuses, rolls them all back.
 *
 * <p>On PostgreSQL the state is read {@code FOR UPDATE}: the row stays locked until the charge's transaction ends,
 * so a second process charging the same pool waits and then reads the committed state (instead of failing its
 * compare-and-swap and retrying), and the layers are locked in one fixed order (member, pool, bot), so two charges
 * never deadlock. Why not Bucket4j's own {@code bucket4j_jdk17-postgresql} proxy managers: each of their operations
 * borrows a connection from a {@code DataSource} and commits on its own (a select-for-update or an advisory lock per
 * bucket, per call), so a charge that takes from the member and is then refused by the pool cannot be undone
 * atomically: between the two calls another process sees the member charged, and a crash in between leaves it so.
 * Running the same compare-and-swap inside pictor's transaction gives the all-or-none charge; so that module is
 * not a dependency (and the Bucket4j core stays at one version).
 *
 * <p>Rows carry an expiry (the time the bucket needs to refill completely, plus a margin); {@link #removeExpired}
 * deletes idle full buckets, which is the same as keeping them.
 */
final class SqliteProxyManager extends AbstractCompareAndSwapBasedProxyManager<String> {
    private final Database db;

    /**
     * The buckets on {@code db}, timed by {@code clock} (so tests move time), each row dropped once its bucket would
     * be full again ({@link BucketQuota#KEEP_FULL}): what the quota's layers and the providers' rates both use.
     */
    static SqliteProxyManager on(Database db, java.time.Clock clock) {
        io.github.bucket4j.TimeMeter meter = new io.github.bucket4j.TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        return new SqliteProxyManager(db, ClientSideConfig.getDefault()
                .withClientClock(meter)
                .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(BucketQuota.KEEP_FULL)));
    }

    SqliteProxyManager(Database db, ClientSideConfig config) {
        super(config);
        this.db = db;
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                return db.read(d -> {
                    PreparedStatement ps = d.prepared("SELECT state FROM quota_buckets WHERE id = ?" + d.dialect().forUpdate());
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                    }
                });
            }

            @Override
            public boolean compareAndSwap(byte[] original, byte[] updated, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                Long expiresAt = expiresAt(newState);
                return db.write(d -> {
                    PreparedStatement ps;
                    if (original == null) {
                        ps = d.prepared("INSERT INTO quota_buckets (id, state, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING");
                        ps.setString(1, key);
                        ps.setBytes(2, updated);
                        setExpiry(ps, 3, expiresAt);
                    } else {
                        ps = d.prepared("UPDATE quota_buckets SET state = ?, expires_at = ? WHERE id = ? AND state = ?");
                        ps.setBytes(1, updated);
                        setExpiry(ps, 2, expiresAt);
                        ps.setString(3, key);
                        ps.setBytes(4, original);
                    }
                    return ps.executeUpdate() == 1;
                });
            }
        };
    }

    private Long expiresAt(RemoteBucketState state) {
        Optional<ExpirationAfterWriteStrategy> strategy = getClientSideConfig().getExpirationAfterWriteStrategy();
        if (strategy.isEmpty()) return null;
        long now = currentTimeNanos();
        long ttl = strategy.get().calculateTimeToLiveMillis(state, now);
        return ttl <= 0 ? null : now / 1_000_000 + ttl;
    }

    private static void setExpiry(PreparedStatement ps, int index, Long expiresAt) throws java.sql.SQLException {
        if (expiresAt == null) ps.setNull(index, Types.INTEGER);
        else ps.setLong(index, expiresAt);
    }

    /** Deletes up to {@code batch} buckets whose expiry passed; returns how many. */
    int removeExpired(int batch) {
        long now = currentTimeNanos() / 1_000_000;
        return db.write(d -> {
            PreparedStatement ps = d.prepared("DELETE FROM quota_buckets WHERE id IN "
                    + "(SELECT id FROM quota_buckets WHERE expires_at IS NOT NULL AND expires_at < ? LIMIT ?)");
            ps.setLong(1, now);
            ps.setInt(2, batch);
            return ps.executeUpdate();
        });
    }

    /** Whether a bucket is stored under {@code key}. */
    boolean exists(String key) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT 1 FROM quota_buckets WHERE id = ?");
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void removeProxy(String key) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("DELETE FROM quota_buckets WHERE id = ?");
            ps.setString(1, key);
            return ps.executeUpdate();
        });
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("SQLite buckets are synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("SQLite buckets are synchronous"));
    }
}
