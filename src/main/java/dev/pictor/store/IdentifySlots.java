package dev.pictor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Discord's IDENTIFY slots, shared by every process on the database that runs shards of a bot: a bucket
 * ({@code shard_id % max_concurrency}) may identify once per {@code window} (Discord: 5 s). Taking a slot is one
 * conditional update of the bucket's row ({@code next_at <= now}), so two processes never both take it within the
 * window; see {@code identify_slots} in docs/schema.md.
 */
public final class IdentifySlots {
    private final Database db;
    private final Clock clock;
    private final Duration window;

    public IdentifySlots(Database db, Clock clock, Duration window) {
        if (!window.isPositive()) throw new IllegalArgumentException("window must be positive");
        this.db = db;
        this.clock = clock;
        this.window = window;
    }

    /**
     * Takes the slot of {@code bot}'s {@code bucket} if it is free: returns {@link Duration#ZERO}, and the bucket's
     * next slot is a window later. Otherwise nothing is taken, and the result is how long until the slot is free.
     */
    public Duration take(String bot, int bucket) {
        return db.write(d -> {
            long now = clock.millis();
            PreparedStatement insert = d.prepared("INSERT INTO identify_slots (bot, bucket, next_at) VALUES (?, ?, 0) "
                    + "ON CONFLICT (bot, bucket) DO NOTHING");
            insert.setString(1, bot);
            insert.setInt(2, bucket);
            insert.executeUpdate();
            PreparedStatement take = d.prepared("UPDATE identify_slots SET next_at = ? WHERE bot = ? AND bucket = ? AND next_at <= ?");
            take.setLong(1, now + window.toMillis());
            take.setString(2, bot);
            take.setInt(3, bucket);
            take.setLong(4, now);
            if (take.executeUpdate() == 1) return Duration.ZERO;
            PreparedStatement next = d.prepared("SELECT next_at FROM identify_slots WHERE bot = ? AND bucket = ?");
            next.setString(1, bot);
            next.setInt(2, bucket);
            try (ResultSet rs = next.executeQuery()) {
                long at = rs.next() ? rs.getLong(1) : now + 1;
                return Duration.ofMillis(Math.max(1, at - now));
            }
        });
    }

    /**
     * The shard of {@code bot}'s {@code bucket} whose slot this process took has identified: the bucket's next slot
     * is a window from now at the earliest (the IDENTIFY went out some time after the slot was taken).
     */
    public void identified(String bot, int bucket) {
        db.write(d -> {
            long next = clock.millis() + window.toMillis();
            PreparedStatement ps = d.prepared("UPDATE identify_slots SET next_at = ? WHERE bot = ? AND bucket = ? AND next_at < ?");
            ps.setLong(1, next);
            ps.setString(2, bot);
            ps.setInt(3, bucket);
            ps.setLong(4, next);
            return ps.executeUpdate();
        });
    }
}
