package dev.pictor.config;

/** {@code storage}: where the quota buckets and the job ledger live. */
public record StorageConfig(String url) {
    public static final String DEFAULT_URL = "jdbc:sqlite:data/pictor.db";
    public static final StorageConfig DEFAULT = new StorageConfig(null);

    public StorageConfig {
        url = Values.blank(url) ? DEFAULT_URL : url.strip();
        Invalid.collector().check(url.startsWith("jdbc:"), "url", "must be a JDBC URL such as \"" + DEFAULT_URL + "\"").throwIfAny();
    }
}
