package dev.pictor.quota;

import dev.pictor.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQL of {@code quota_subjects}: one row per member, pool or bot subject with the admin's settings (plan or pool
 * override, block, extra images) and the limits last applied to its bucket with their version. Every method runs
 * inside the caller's {@link Database#write} transaction, on its connection {@code d}.
 */
final class QuotaSubjects {
    private final Clock clock;

    QuotaSubjects(Clock clock) {
        this.clock = clock;
    }

    /** The rows of the subjects that have one, by subject; null subjects are skipped. */
    Map<String, QuotaLayers.Row> read(Database d, QuotaLayers.Subjects s) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT subject, override, blocked, extra, applied_spec, spec_version "
                + "FROM quota_subjects WHERE subject IN (?, ?, ?)");
        ps.setString(1, s.member());
        ps.setString(2, s.pool());
        ps.setString(3, s.bot());
        var rows = new HashMap<String, QuotaLayers.Row>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), new QuotaLayers.Row(rs.getString(2), rs.getInt(3) == 1, rs.getLong(4),
                        rs.getString(5), rs.getLong(6)));
            }
        }
        return rows;
    }

    /** The bucket version for {@code spec}: the row's, or one more (written) when the limits applied changed. */
    long ensureApplied(Database d, String subject, String spec, QuotaLayers.Row row) throws SQLException {
        if (row != null && spec.equals(row.applied())) return row.version();
        long version = row == null ? 1 : row.version() + 1;
        PreparedStatement ps = d.prepared("INSERT INTO quota_subjects (subject, applied_spec, spec_version, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET applied_spec = excluded.applied_spec, "
                + "spec_version = excluded.spec_version, updated_at = excluded.updated_at");
        ps.setString(1, subject);
        ps.setString(2, spec);
        ps.setLong(3, version);
        ps.setLong(4, clock.millis());
        ps.executeUpdate();
        return version;
    }

    /** Adds {@code delta} (negative: takes) to a member's extra images. */
    void addExtra(Database d, String memberSubject, long delta) throws SQLException {
        upsert(d, memberSubject);
        PreparedStatement ps = d.prepared("UPDATE quota_subjects SET extra = extra + ?, updated_at = ? WHERE subject = ?");
        ps.setLong(1, delta);
        ps.setLong(2, clock.millis());
        ps.setString(3, memberSubject);
        ps.executeUpdate();
    }

    /**
     * Takes {@code images} of a member's extra images if they are still there, in one statement: under PostgreSQL's
     * READ COMMITTED a concurrent charge that took them first is seen here (the row is locked, then re-read), so two
     * jobs never both spend the last one. False: not enough left.
     */
    boolean takeExtra(Database d, String memberSubject, long images) throws SQLException {
        PreparedStatement ps = d.prepared("UPDATE quota_subjects SET extra = extra - ?, updated_at = ? "
                + "WHERE subject = ? AND extra >= ?");
        ps.setLong(1, images);
        ps.setLong(2, clock.millis());
        ps.setString(3, memberSubject);
        ps.setLong(4, images);
        return ps.executeUpdate() == 1;
    }

    /** A member's extra images, or {@code otherwise} if the subject has no row. */
    long extra(Database d, String memberSubject, long otherwise) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT extra FROM quota_subjects WHERE subject = ?");
        ps.setString(1, memberSubject);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : otherwise;
        }
    }

    /** Sets a subject's override: a member's plan or a pool's limits (null: none, back to the default). */
    void setOverride(Database d, String subject, String override) throws SQLException {
        upsert(d, subject);
        PreparedStatement ps = d.prepared("UPDATE quota_subjects SET override = ?, updated_at = ? WHERE subject = ?");
        ps.setString(1, override);
        ps.setLong(2, clock.millis());
        ps.setString(3, subject);
        ps.executeUpdate();
    }

    void setBlocked(Database d, String subject, boolean blocked, String reason) throws SQLException {
        upsert(d, subject);
        PreparedStatement ps = d.prepared("UPDATE quota_subjects SET blocked = ?, blocked_reason = ?, updated_at = ? WHERE subject = ?");
        ps.setInt(1, blocked ? 1 : 0);
        ps.setString(2, reason);
        ps.setLong(3, clock.millis());
        ps.setString(4, subject);
        ps.executeUpdate();
    }

    private void upsert(Database d, String subject) throws SQLException {
        PreparedStatement ps = d.prepared("INSERT INTO quota_subjects (subject, updated_at) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING");
        ps.setString(1, subject);
        ps.setLong(2, clock.millis());
        ps.executeUpdate();
    }
}
