package dev.pictor.store;

import dev.pictor.core.port.AdminChats;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code admin_chats} table (V11): per scope (a community, or a bot's private chats with its admins) the chat an
 * admin command last succeeded in, the bot profile that answered there and when (the database's writer's clock).
 */
public final class AdminChatTable implements AdminChats {
    private final Database db;
    private final Clock clock;

    public AdminChatTable(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void record(String scope, String profile, String chat) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT INTO admin_chats (scope, profile, chat, updated_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (scope) DO UPDATE SET profile = excluded.profile, chat = excluded.chat, updated_at = excluded.updated_at");
            ps.setString(1, scope);
            ps.setString(2, profile);
            ps.setString(3, chat);
            ps.setLong(4, clock.millis());
            return ps.executeUpdate();
        });
    }

    @Override
    public Optional<Place> find(String scope) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT profile, chat, updated_at FROM admin_chats WHERE scope = ?");
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Place(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
                        : Optional.<Place>empty();
            }
        });
    }
}
