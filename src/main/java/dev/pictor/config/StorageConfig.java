package dev.pictor.config;

import dev.pictor.ops.Secrets;

/**
 * {@code storage}: where the quotas, the job ledger, the posts, the Telegram inbox and the audit log live: an SQLite
 * file (the default, nothing to install) or a PostgreSQL database shared by several processes
 * ({@code jdbc:postgresql://host:5432/pictor}), logged in to with {@code user} and {@code password} (or as the URL
 * says). The password is never shown: {@link #shownUrl()} and {@link #toString()} mask it.
 */
public record StorageConfig(String url, String user, String password) {
    public static final String DEFAULT_URL = "jdbc:sqlite:data/pictor.db";
    public static final StorageConfig DEFAULT = new StorageConfig(null, null, null);

    public StorageConfig {
        url = Values.blank(url) ? DEFAULT_URL : url.strip();
        user = Values.blank(user) ? null : user.strip();
        password = password == null || password.isEmpty() ? null : password;
        boolean postgres = url.startsWith("jdbc:postgresql:");
        var c = Invalid.collector();
        c.check(url.startsWith("jdbc:sqlite:") || postgres, "url", "must be an SQLite JDBC URL such as \"" + DEFAULT_URL
                + "\" or a PostgreSQL one such as \"jdbc:postgresql://localhost:5432/pictor\"");
        if (!postgres) {
            c.check(user == null, "user", "is for PostgreSQL only (an SQLite file has no login)");
            c.check(password == null, "password", "is for PostgreSQL only (an SQLite file has no login)");
        }
        c.throwIfAny();
    }

    public StorageConfig(String url) {
        this(url, null, null);
    }

    /** Whether the database is PostgreSQL (shared by processes on several hosts), not an SQLite file. */
    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL as it may be printed or logged: a password in it masked. */
    public String shownUrl() {
        return Secrets.redact(url);
    }

    /** The password given in the URL ({@code password=…} or {@code //user:password@}), or null: a secret to mask in logs. */
    public String passwordInUrl() {
        var m = java.util.regex.Pattern.compile("(?i)[?&;]password=([^&;]*)").matcher(url);
        if (m.find() && !m.group(1).isEmpty()) return m.group(1);
        var u = java.util.regex.Pattern.compile("//[^/@:]*:([^/@]*)@").matcher(url);
        return u.find() && !u.group(1).isEmpty() ? u.group(1) : null;
    }

    @Override
    public String toString() {
        return "StorageConfig[url=" + shownUrl() + ", user=" + user + ", password=" + (password == null ? "(not set)" : "(set)") + "]";
    }
}
