package dev.pictor.store;

import dev.pictor.core.JobRepair;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.SpendPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The crash repair's side in the database: which open jobs a stopped process left behind, and for each, one
 * transaction that reads what was recorded (the row locked, so that a second process repairing at once waits and then
 * finds it closed), closes the job as {@link JobRepair} decides and refunds what it owes, so that a job is never
 * closed without its refund, nor refunded twice; its daily spend hold is settled or released in the same transaction.
 *
 * <p>Whose jobs: those of the processes whose lease this process has just claimed ({@link Leases#claimExpired}:
 * they stopped renewing it, or they ran on this host and are gone; only one process gets each); those of an owner
 * without a lease row that is not alive ({@code ownerMayBeAlive}: a process on this host that is gone; a process
 * elsewhere cannot be checked); and any open job older than {@link SqliteJobLedger#STALE_AFTER}. A job whose owner holds a lease, or whose dead
 * owner another process has claimed, is left alone (unless stale).
 */
final class InterruptedJobs {
    private static final Logger log = LoggerFactory.getLogger(InterruptedJobs.class);

    private final Database db;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final Predicate<String> ownerMayBeAlive;
    private final Leases leases;

    InterruptedJobs(Database db, ModelCatalog catalog, Clock clock, Predicate<String> ownerMayBeAlive, Leases leases) {
        this.db = db;
        this.catalog = catalog;
        this.clock = clock;
        this.ownerMayBeAlive = ownerMayBeAlive;
        this.leases = leases;
    }

    private record Candidate(String id, String owner) {
    }

    /** Repairs every interrupted job, refunding on {@code quota}; returns the jobs as closed. */
    List<JobView> repair(QuotaPort quota, SpendPort spend) {
        Set<String> claimed = new HashSet<>(leases.claimExpired(ownerMayBeAlive));
        long staleBefore = clock.millis() - SqliteJobLedger.STALE_AFTER.toMillis();
        List<Candidate> candidates = db.read(d -> {
            var found = new ArrayList<Candidate>();
            var dead = new HashMap<String, Boolean>();
            try (ResultSet rs = d.prepared("SELECT id, owner, created_at FROM jobs WHERE status IN " + SqliteJobLedger.OPEN).executeQuery()) {
                while (rs.next()) {
                    String owner = rs.getString(2);
                    if (rs.getLong(3) < staleBefore) {
                        found.add(new Candidate(rs.getString(1), owner));
                        continue;
                    }
                    Boolean isDead = dead.get(owner);
                    if (isDead == null) {
                        isDead = claimed.contains(owner)
                                || leases.holds(d, owner).isEmpty() && !ownerMayBeAlive.test(owner);
                        dead.put(owner, isDead);
                    }
                    if (isDead) found.add(new Candidate(rs.getString(1), owner));
                }
            }
            return found;
        });
        var repaired = new ArrayList<JobView>();
        var failedOwners = new HashSet<String>();
        for (Candidate c : candidates) {
            try {
                db.write(d -> repairOne(d, c.id(), quota, spend)).ifPresent(repaired::add);
            } catch (RuntimeException e) {
                failedOwners.add(c.owner());
                log.error("job {}: could not repair it; will try again", c.id(), e);
            }
        }
        for (String owner : claimed) {
            if (!failedOwners.contains(owner)) leases.release(owner); // else the claim expires and the repair runs again
        }
        if (!repaired.isEmpty()) log.warn("repaired {} job(s) left open by a stopped process", repaired.size());
        return repaired;
    }

    private Optional<JobView> repairOne(Database d, String id, QuotaPort quota, SpendPort spend) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT * FROM jobs WHERE id = ? AND status IN " + SqliteJobLedger.OPEN
                + d.dialect().forUpdate()); // a second process repairing it at once waits, then finds it closed
        ps.setString(1, id);
        JobRepair.Interrupted before;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            String l = rs.getString("quota_layers");
            double c = rs.getDouble("cost");
            Double cost = rs.wasNull() ? null : c;
            before = new JobRepair.Interrupted(JobRows.withPosts(JobRows.view(rs, catalog), JobRows.posts(d, id)),
                    rs.getInt("images_asked"), rs.getInt("tokens_charged"), rs.getInt("tokens_refunded"),
                    l == null || l.isEmpty() ? List.of() : Arrays.asList(l.split(",")), cost);
        }
        JobRepair.Ending end = JobRepair.end(before, Instant.ofEpochMilli(clock.millis()));
        PreparedStatement close = d.prepared("UPDATE jobs SET status = ?, error_class = 'interrupted', finished_at = ? WHERE id = ?");
        close.setString(1, JobRows.name(end.status()));
        close.setLong(2, end.job().finishedAt().toEpochMilli());
        close.setString(3, id);
        close.executeUpdate();
        if (end.refund().isPresent()) {
            quota.refund(id, end.refund().get(), end.owed());
            // the quota's journal has counted the refund already when it shares this database; make sure either way
            PreparedStatement done = d.prepared("UPDATE jobs SET tokens_refunded = "
                    + d.dialect().greatest("tokens_refunded", "?") + " WHERE id = ?");
            done.setInt(1, end.refundedAfter(before));
            done.setString(2, id);
            done.executeUpdate();
        }
        // its spend hold, in this transaction: a repairer racing this one waits on the job's row and finds it closed,
        // and the hold is settled or released only while still held, so it is given back once
        if (end.spend().isPresent()) spend.settle(id, end.spend().get());
        else spend.release(id);
        log.info("job {}: closed as {} after an interruption, {} of {} image(s) delivered, {} token(s) refunded",
                id, JobRows.name(end.status()), end.job().delivered(), before.asked(), end.owed());
        return Optional.of(end.job());
    }
}
