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
 * <p>Once the database file is {@link Database#lost() lost} nothing can be kept: every update is then taken as new
 * without being written, so that its member is answered (each request is refused, "pictor cannot record jobs right
 * now") instead of the bot leaving the batch unconfirmed and saying nothing until it is restarted.
 */
public final class SqliteUpdateInbox implements UpdateInbox {
    private final Database db;
    private final Clock clock;

    public SqliteUpdateInbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
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
                    + "received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
            var fresh = new LinkedHashSet<Long>();
            for (Received u : updates) {
                ps.setString(1, profile);
                ps.setLong(2, u.id());
                ps.setString(3, u.payload());
                ps.setLong(4, now);
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
