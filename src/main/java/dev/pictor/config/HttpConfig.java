package dev.pictor.config;

/**
 * {@code http}: where {@code /healthz} and {@code /metrics} are served (and the webhooks of Telegram bots in
 * {@code mode: webhook}, each on its {@code webhook-path}): {@code port} (0 picks a free one) and
 * {@code bind}, the address to listen on. {@code bind} defaults to {@code 0.0.0.0} (every interface, as before it
 * could be set, and what a container needs for its published port); {@code 127.0.0.1} keeps the endpoints to
 * the host itself.
 */
public record HttpConfig(Integer port, String bind) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final HttpConfig DEFAULT = new HttpConfig(null, null);

    public HttpConfig {
        port = Values.or(port, DEFAULT_PORT);
        bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.strip();
        Invalid.collector()
                .check(port >= 0 && port <= 65535, "port", "must be from 0 to 65535, not " + port)
                .check(bind.matches("[A-Za-z0-9.:%_-]+|\\[[0-9A-Fa-f:.%]+]"), "bind",
                        "must be an address or host name to listen on (0.0.0.0 for every interface, 127.0.0.1 for this host only), not \"" + bind + "\"")
                .throwIfAny();
    }

    /** {@code bind} as {@link java.net.InetSocketAddress} takes it (an IPv6 literal without its brackets). */
    public String host() {
        return bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
    }
}
