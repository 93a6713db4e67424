package dev.pictor.store;

import dev.pictor.core.JobRepair;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The crash repair's side in SQLite: which open jobs a stopped process left behind (its owner is dead, or the job is
 * older than {@link SqliteJobLedger#STALE_AFTER}), and for each, one transaction that reads what was recorded, closes
 * the job as {@link JobRepair} decides and refunds what it owes, so that a job is never closed without its refund.
 */
final class InterruptedJobs {
    private static final Logger log = LoggerFactory.getLogger(InterruptedJobs.class);

    private final Database db;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final Predicate<String> ownerMayBeAlive;

    InterruptedJobs(Database db, ModelCatalog catalog, Clock clock, Predicate<String> ownerMayBeAlive) {
        this.db = db;
        this.catalog = catalog;
        this.clock = clock;
        this.ownerMayBeAlive = ownerMayBeAlive;
    }

    /** Repairs every interrupted job, refunding on {@code quota}; returns the jobs as closed. */
    List<JobView> repair(QuotaPort quota) {
        long staleBefore = clock.millis() - SqliteJobLedger.STALE_AFTER.toMillis();
        List<String> candidates = db.read(d -> {
            var ids = new ArrayList<String>();
            try (ResultSet rs = d.prepared("SELECT id, owner, created_at FROM jobs WHERE status IN " + SqliteJobLedger.OPEN).executeQuery()) {
                while (rs.next()) {
                    if (!ownerMayBeAlive.test(rs.getString(2)) || rs.getLong(3) < staleBefore) ids.add(rs.getString(1));
                }
            }
            return ids;
        });
        var repaired = new ArrayList<JobView>();
        for (String id : candidates) {
            try {
                db.write(d -> repairOne(d, id, quota)).ifPresent(repaired::add);
            } catch (RuntimeException e) {
                log.error("job {}: could not repair it; will try again at the next start", id, e);
            }
        }
        if (!repaired.isEmpty()) log.warn("repaired {} job(s) left open by a stopped process", repaired.size());
        return repaired;
    }

    private Optional<JobView> repairOne(Database d, String id, QuotaPort quota) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT * FROM jobs WHERE id = ? AND status IN " + SqliteJobLedger.OPEN
                + d.dialect().forUpdate()); // a second process repairing it at once waits, then finds it closed
        ps.setString(1, id);
        JobRepair.Interrupted before;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            String l = rs.getString("quota_layers");
            before = new JobRepair.Interrupted(JobRows.withPosts(JobRows.view(rs, catalog), JobRows.posts(d, id)),
                    rs.getInt("images_asked"), rs.getInt("tokens_charged"), rs.getInt("tokens_refunded"),
                    l == null || l.isEmpty() ? List.of() : Arrays.asList(l.split(",")));
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
        log.info("job {}: closed as {} after an interruption, {} of {} image(s) delivered, {} token(s) refunded",
                id, JobRows.name(end.status()), end.job().delivered(), before.asked(), end.owed());
        return Optional.of(end.job());
    }
}
