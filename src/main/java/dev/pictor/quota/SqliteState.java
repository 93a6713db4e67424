package dev.pictor.quota;

import dev.pictor.core.ModelCatalog;
import dev.pictor.core.port.JobView;
import dev.pictor.store.Database;
import dev.pictor.store.Leases;
import dev.pictor.store.SqliteJobLedger;
import dev.pictor.store.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything pictor keeps in its database (SQLite or PostgreSQL; the name is from when there was only SQLite), wired
 * for the composition root: the database (opened and migrated), the job ledger with this process's lease, and the
 * quota (which also serves the admin operations) recording charges on the ledger's jobs.
 * <pre>
 * try (var state = SqliteState.open(config.storage().url(), catalog, quotaSettings, Clock.systemUTC())) {
 *     List&lt;JobView&gt; interrupted = state.repairInterrupted();   // tell those members, where the platform allows
 *     state.startHousekeeping(scheduler);
 *     state.startLease(renewalScheduler);                       // its own thread; repairInterrupted() every few seconds
 *     new GenerationService(state.quota(), state.ledger(), …);
 * }
 * </pre>
 */
public final class SqliteState implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteState.class);

    private final Database db;
    private final SqliteJobLedger ledger;
    private final BucketQuota quota;
    private final StorageHealth health;

    private final SpendCaps spend;

    private SqliteState(Database db, SqliteJobLedger ledger, BucketQuota quota, SpendCaps spend) {
        this.spend = spend;
        this.db = db;
        this.ledger = ledger;
        this.quota = quota;
        this.health = new StorageHealth(db);
    }

    public static SqliteState open(String jdbcUrl, ModelCatalog catalog, QuotaSettings settings, Clock clock) {
        return open(jdbcUrl, null, null, catalog, settings, clock);
    }

    /**
     * Opens the database at {@code jdbcUrl} (SQLite, or PostgreSQL logged in as {@code user} with {@code password}
     * when given), migrated, and takes this process's lease on it (see {@link Leases}; renew it with
     * {@link #startLease}).
     */
    public static SqliteState open(String jdbcUrl, String user, String password, ModelCatalog catalog, QuotaSettings settings,
                                   Clock clock) {
        return open(jdbcUrl, user, password, catalog, settings,
                new SpendSettings("USD", null, null, null, SpendSettings.priced(catalog)),
                SpendCaps.Warnings.NONE, clock);
    }

    /** As above, with the daily spend caps ({@link #spend()}) and who hears that a community passed 80 % of its cap. */
    public static SqliteState open(String jdbcUrl, String user, String password, ModelCatalog catalog, QuotaSettings settings,
                                   SpendSettings spend, SpendCaps.Warnings warnings, Clock clock) {
        Database db = Database.open(jdbcUrl, user, password);
        try {
            var ledger = new SqliteJobLedger(db, catalog, clock);
            ledger.leases().register();
            var caps = new SpendCaps(db, spend, clock, warnings);
            return new SqliteState(db, ledger, new BucketQuota(db, settings, clock, ledger, caps), caps);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Renews this process's lease every {@link Leases#RENEW_EVERY}, so that other processes know it is alive; give it
     * a scheduler of its own (a renewal queued behind a long repair could miss the lease).
     */
    public ScheduledFuture<?> startLease(ScheduledExecutorService scheduler) {
        long every = Leases.RENEW_EVERY.toMillis();
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                ledger.leases().renew();
            } catch (RuntimeException e) {
                log.warn("could not renew this process's lease: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    public Database database() {
        return db;
    }

    public SqliteJobLedger ledger() {
        return ledger;
    }

    /** The daily spend caps (the admin port sets a community's). */
    public SpendCaps spend() {
        return spend;
    }

    /** The quota port, which is also the admin port. */
    public BucketQuota quota() {
        return quota;
    }

    /**
     * Closes and refunds the jobs a stopped process left open, settling or releasing their spend holds; see
     * {@link SqliteJobLedger#repairInterrupted(dev.pictor.core.port.QuotaPort, dev.pictor.core.port.SpendPort)}.
     */
    public List<JobView> repairInterrupted() {
        return ledger.repairInterrupted(quota, spend);
    }

    /** Deletes idle full buckets every 10 minutes. */
    public ScheduledFuture<?> startHousekeeping(ScheduledExecutorService scheduler) {
        long every = Duration.ofMinutes(10).toSeconds();
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                int n = quota.purgeIdle();
                if (n > 0) log.debug("deleted {} idle quota bucket(s)", n);
            } catch (RuntimeException e) {
                log.warn("quota housekeeping failed: {}", e.toString());
            }
        }, every, every, TimeUnit.SECONDS);
    }

    /** Whether the database takes writes (and is still the file it opened), for {@code /healthz}; see {@link StorageHealth}. */
    public StorageHealth.Status health() {
        return health.status();
    }

    /**
     * Looks every second whether the database file was deleted or replaced ({@link Database#lost()}), so that it is
     * logged, and new jobs refused, even when nobody asks {@code /healthz}.
     */
    public ScheduledFuture<?> startWatching(ScheduledExecutorService scheduler) {
        return scheduler.scheduleWithFixedDelay(db::lost, 1, 1, TimeUnit.SECONDS);
    }

    /** Lets go of the lease (what is still open is repaired by another process at once), then closes the database. */
    @Override
    public void close() {
        try {
            ledger.leases().leave();
        } catch (RuntimeException e) {
            log.warn("could not let go of this process's lease (it expires in {} s): {}", Leases.TTL.toSeconds(), e.toString());
        }
        health.close();
        db.close();
    }
}
