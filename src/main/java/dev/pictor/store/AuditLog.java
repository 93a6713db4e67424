package dev.pictor.store;

import dev.pictor.core.port.AdminPort.AuditEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit} table: who changed what about whom, and when. Written inside the change's transaction. */
public final class AuditLog {
    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String detail) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)");
            ps.setLong(1, clock.millis());
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, target);
            ps.setString(5, detail);
            return ps.executeUpdate();
        });
    }

    /** The newest entries first, about {@code target} or about anything when it is null. */
    public List<AuditEntry> recent(String target, int limit) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared(target == null
                    ? "SELECT at, actor, action, target, detail FROM audit WHERE ? IS NULL ORDER BY id DESC LIMIT ?"
                    : "SELECT at, actor, action, target, detail FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?");
            ps.setString(1, target);
            ps.setInt(2, Math.max(1, limit));
            var out = new ArrayList<AuditEntry>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        });
    }
}
