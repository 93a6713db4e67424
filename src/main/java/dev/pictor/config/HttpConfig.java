package dev.pictor.config;

/** {@code http}: the port of {@code /healthz} and {@code /metrics} (0 picks a free one). */
public record HttpConfig(Integer port) {
    public static final int DEFAULT_PORT = 8080;
    public static final HttpConfig DEFAULT = new HttpConfig(null);

    public HttpConfig {
        port = Values.or(port, DEFAULT_PORT);
        Invalid.collector().check(port >= 0 && port <= 65535, "port", "must be from 0 to 65535, not " + port).throwIfAny();
    }
}
