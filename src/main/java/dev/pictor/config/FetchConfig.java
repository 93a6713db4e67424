package dev.pictor.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.util.List;

/**
 * {@code fetch}: downloading images that providers answer with a URL. {@code max-bytes} caps one image (default 20MB);
 * {@code allow-private} lists hosts that may be private, loopback or link-local addresses (none by default: such
 * downloads are refused).
 */
public record FetchConfig(@JsonDeserialize(using = ConfigModule.SizeDeserializer.class) Long maxBytes,
                          List<String> allowPrivate) {
    public static final long DEFAULT_MAX_BYTES = 20L << 20;
    public static final FetchConfig DEFAULT = new FetchConfig(null, null);

    public FetchConfig {
        maxBytes = Values.or(maxBytes, DEFAULT_MAX_BYTES);
        allowPrivate = Values.list(allowPrivate).stream().map(String::strip).toList();
        var c = Invalid.collector().check(maxBytes >= 1024, "max-bytes", "must be at least 1KB");
        for (int i = 0; i < allowPrivate.size(); i++) c.check(!allowPrivate.get(i).isEmpty(), "allow-private[" + i + "]", "is empty");
        c.throwIfAny();
    }
}
