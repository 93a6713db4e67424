package dev.pictor.store;

import dev.pictor.core.Platform;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.core.text.Languages;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code community_language} table (V6): the language a community's admins chose. Read for events whose member's
 * language pictor does not ship, so a read is remembered for {@link #REMEMBER} (a change made in this process is seen
 * at once, one made by another process, e.g. {@code pictor quota language}, within that time). A stored tag pictor
 * no longer ships reads as no choice.
 */
public final class CommunityLanguageTable implements CommunityLanguages {
    static final Duration REMEMBER = Duration.ofSeconds(30);

    private final Database db;
    private final Clock clock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Optional<Locale> language, long atMillis) {
    }

    public CommunityLanguageTable(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<Locale> language(Platform platform, String community) {
        String key = platform.id() + ":" + community;
        long now = clock.millis();
        Remembered r = remembered.get(key);
        if (r != null && now - r.atMillis() < REMEMBER.toMillis()) return r.language();
        Optional<Locale> read = db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT language FROM community_language WHERE platform = ? AND community_id = ?");
            ps.setString(1, platform.id());
            ps.setString(2, community);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Languages.supported(rs.getString(1)) : Optional.<Locale>empty();
            }
        });
        remembered.put(key, new Remembered(read, now));
        return read;
    }

    /** Sets the community's language; null removes the choice (back to the bot profile's). May run inside a write. */
    public void set(Platform platform, String community, Locale language) {
        db.write(d -> {
            PreparedStatement ps;
            if (language == null) {
                ps = d.prepared("DELETE FROM community_language WHERE platform = ? AND community_id = ?");
                ps.setString(1, platform.id());
                ps.setString(2, community);
            } else {
                ps = d.prepared("INSERT INTO community_language (platform, community_id, language, updated_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (platform, community_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at");
                ps.setString(1, platform.id());
                ps.setString(2, community);
                ps.setString(3, Languages.tag(language));
                ps.setLong(4, clock.millis());
            }
            return ps.executeUpdate();
        });
        forget(platform, community);
    }

    /**
     * Reads the community's language from the table next time. {@link #set} does it, and its caller again once the
     * transaction around it committed (a read on another thread meanwhile saw, and remembered, the old value).
     */
    public void forget(Platform platform, String community) {
        remembered.remove(platform.id() + ":" + community);
    }
}
