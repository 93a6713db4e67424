package dev.pictor.config;

/** {@code storage}: where the quota buckets and the job ledger live (an SQLite file). */
public record StorageConfig(String url) {
    public static final String DEFAULT_URL = "jdbc:sqlite:data/pictor.db";
    public static final StorageConfig DEFAULT = new StorageConfig(null);

    public StorageConfig {
        url = Values.blank(url) ? DEFAULT_URL : url.strip();
        Invalid.collector().check(url.startsWith("jdbc:sqlite:"), "url", "must be an SQLite JDBC URL such as \""
                + DEFAULT_URL + "\" (this build keeps quotas and jobs in SQLite only)").throwIfAny();
    }
}
