package dev.pictor.store;

import dev.pictor.core.port.UpdateInbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Telegram updates a bot received, in the database ({@code telegram_inbox}, SQLite or PostgreSQL): a batch is
 * recorded in one write transaction ({@code INSERT … ON CONFLICT DO NOTHING}, so a redelivered update is not
 * recorded, nor run, again, by this process or another sharing the database: the row's key decides, and a second
 * process inserting the same update at once waits for the first's transaction and then inserts nothing) before the
 * bot confirms it to Telegram. A committed batch survives the process being killed (SQLite in WAL mode, or the server).
 *
 * <p>Each row names the process that holds it ({@code taken_by}, the id of its lease in {@link Leases}): the one that
 * recorded it, or the one that {@link #takeLeftOver took it over} at its start because its holder's lease was gone,
 * expired or claimed — one conditional update per row, so that of two processes starting at once only one runs it, and
 * an update a live process has queued is not run by another.
 *
 * <p>Once the database file is {@link Database#lost() lost} nothing can be kept: every update is then taken as new
 * without being written, so that its member is answered (each request is refused, "pictor cannot record jobs right
 * now") instead of the bot leaving the batch unconfirmed and saying nothing until it is restarted.
 */
public final class SqliteUpdateInbox implements UpdateInbox {
    private final Database db;
    private final Clock clock;
    private final Leases leases;

    /** The inbox of this process (its rows held in the name of {@link ProcessOwner#current()}). */
    public SqliteUpdateInbox(Database db, Clock clock) {
        this(db, clock, new Leases(db, clock, ProcessOwner.current()));
    }

    /** The inbox of the process holding {@code leases} (its rows held in its name). */
    public SqliteUpdateInbox(Database db, Clock clock, Leases leases) {
        this.db = db;
        this.clock = clock;
        this.leases = leases;
    }

    @Override
    public Set<Long> record(String profile, List<Received> updates) {
        if (updates.isEmpty()) return Set.of();
        if (db.lost() != null) {
            var all = new LinkedHashSet<Long>();
            updates.forEach(u -> all.add(u.id()));
            return all;
        }
        long now = clock.millis();
        return db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT INTO telegram_inbox (bot_profile, update_id, payload, "
                    + "received_at, taken_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            var fresh = new LinkedHashSet<Long>();
            for (Received u : updates) {
                ps.setString(1, profile);
                ps.setLong(2, u.id());
                ps.setString(3, u.payload());
                ps.setLong(4, now);
                ps.setString(5, leases.self());
                if (ps.executeUpdate() == 1) fresh.add(u.id());
            }
            return fresh;
        });
    }

    @Override
    public void done(String profile, long id) {
        if (db.lost() != null) return; // nothing was written (see record)
        long now = clock.millis();
        db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE telegram_inbox SET done_at = ? WHERE bot_profile = ? AND update_id = ? "
                    + "AND done_at IS NULL");
            ps.setLong(1, now);
            ps.setString(2, profile);
            ps.setLong(3, id);
            return ps.executeUpdate();
        });
    }

    @Override
    public List<Received> undone(String profile) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT update_id, payload FROM telegram_inbox WHERE bot_profile = ? "
                    + "AND done_at IS NULL ORDER BY update_id");
            ps.setString(1, profile);
            var out = new ArrayList<Received>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Received(rs.getLong(1), rs.getString(2)));
            }
            return out;
        });
    }

    @Override
    public List<Received> takeLeftOver(String profile) {
        if (db.lost() != null) return List.of(); // nothing was written (see record)
        return db.write(d -> {
            long now = leases.now(d);
            String heldByLive = "EXISTS (SELECT 1 FROM instances i WHERE i.id = telegram_inbox.taken_by "
                    + "AND i.repaired_by IS NULL AND i.expires_at >= ?)";
            PreparedStatement find = d.prepared("SELECT update_id, payload FROM telegram_inbox WHERE bot_profile = ? "
                    + "AND done_at IS NULL AND (taken_by IS NULL OR taken_by <> ?) ORDER BY update_id");
            find.setString(1, profile);
            find.setString(2, leases.self());
            var candidates = new ArrayList<Received>();
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) candidates.add(new Received(rs.getLong(1), rs.getString(2)));
            }
            // one compare-and-swap per row: a second process taking the same row waits for this one's, then finds
            // it held by a live process (this one) and takes nothing
            PreparedStatement take = d.prepared("UPDATE telegram_inbox SET taken_by = ? WHERE bot_profile = ? "
                    + "AND update_id = ? AND done_at IS NULL AND (taken_by IS NULL OR taken_by <> ? AND NOT " + heldByLive + ")");
            var taken = new ArrayList<Received>();
            for (Received r : candidates) {
                take.setString(1, leases.self());
                take.setString(2, profile);
                take.setLong(3, r.id());
                take.setString(4, leases.self());
                take.setLong(5, now);
                if (take.executeUpdate() == 1) taken.add(r);
            }
            return taken;
        });
    }

    @Override
    public int prune(String profile, Instant before) {
        return db.write(d -> {
            PreparedStatement ps = d.prepared("DELETE FROM telegram_inbox WHERE bot_profile = ? AND done_at IS NOT NULL "
                    + "AND received_at < ?");
            ps.setString(1, profile);
            ps.setLong(2, before.toEpochMilli());
            return ps.executeUpdate();
        });
    }
}
