package dev.pictor.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned SQL files in {@code src/main/resources/db} at start, in order, each once, recorded in
 * {@code schema_version} with a checksum. A migration changed after it was applied, or a database newer than this
 * pictor, stops the start with a clear message. All of it runs in one write transaction, so two processes starting
 * together migrate once. To change the schema add {@code V<n>__what.sql} and list it in {@link #MIGRATIONS}.
 */
final class Migrator {
    static final List<String> MIGRATIONS = List.of("V1__ledger_and_quota.sql", "V2__job_posts_and_origin.sql", "V3__health.sql",
            "V4__telegram_inbox.sql", "V6__community_language.sql"); // V5 is the cost column, on its own branch
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    private Migrator() {
    }

    /** Returns the schema version now in force. */
    static int migrate(Database db) {
        return db.write(d -> {
            d.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    + "checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            Map<Integer, String> applied = new HashMap<>();
            try (ResultSet rs = d.prepared("SELECT version, checksum FROM schema_version").executeQuery()) {
                while (rs.next()) applied.put(rs.getInt(1), rs.getString(2));
            }
            int current = 0;
            for (String file : MIGRATIONS) {
                Matcher m = NAME.matcher(file);
                if (!m.matches()) throw new IllegalStateException("bad migration name " + file);
                int version = Integer.parseInt(m.group(1));
                String sql = load(file);
                String checksum = sha256(sql);
                String known = applied.remove(version);
                if (known != null) {
                    if (!known.equals(checksum)) {
                        throw new StoreException("migration " + file + " was changed after it was applied to "
                                + d.url() + "; add a new migration instead of editing an applied one");
                    }
                } else {
                    for (String statement : statements(sql)) d.execute(statement);
                    var ps = d.prepared("INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)");
                    ps.setInt(1, version);
                    ps.setString(2, file);
                    ps.setString(3, checksum);
                    ps.setLong(4, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                current = version;
            }
            if (!applied.isEmpty()) {
                throw new StoreException("the database " + d.url() + " has schema version "
                        + applied.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow()
                        + ", newer than this pictor knows (" + current + "); run a newer pictor");
            }
            return current;
        });
    }

    /** The statements of a script: split at semicolons ending a line, comment lines dropped. */
    static List<String> statements(String sql) {
        var out = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) continue;
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) out.add(current.toString().strip());
        return out;
    }

    private static String load(String file) {
        try (InputStream in = Migrator.class.getResourceAsStream("/db/" + file)) {
            if (in == null) throw new IllegalStateException("migration " + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
