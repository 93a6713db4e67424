package dev.pictor.app;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Job ids: 16 lower-case Crockford base-32 characters — 10 for the time in milliseconds, 6 for 30 random bits — so
 * that they sort by creation time and fit in file names, Discord custom ids and Telegram's 64-byte callback data.
 */
public final class JobIds implements Supplier<String> {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public JobIds(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String get() {
        var out = new StringBuilder(16);
        encode(clock.millis(), 10, out);
        encode(random.nextInt(1 << 30), 6, out);
        return out.toString();
    }

    private static void encode(long value, int chars, StringBuilder out) {
        for (int i = chars - 1; i >= 0; i--) out.append(ALPHABET[(int) (value >>> (5 * i)) & 31]);
    }
}
