package dev.pictor.provider;

import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reading response bodies with a bound, so that no answer can make us hold more than we chose. */
final class Bodies {
    private Bodies() {
    }

    /** Thrown when a body goes over its cap. */
    static final class TooLarge extends IOException {
        final long limit;

        TooLarge(long limit) {
            super("answer is over the " + limit + " byte limit");
            this.limit = limit;
        }
    }

    /** The whole body, refusing one that declares or turns out to be longer than {@code limit}. */
    static byte[] readCapped(ResponseBody body, long limit) throws IOException {
        long declared = body.contentLength();
        if (declared > limit) throw new TooLarge(limit);
        BufferedSource source = body.source();
        if (declared >= 0) {
            byte[] exact = new byte[(int) declared]; // one copy, straight from the socket buffers
            source.readFully(exact);
            return exact;
        }
        Buffer buffer = new Buffer();
        while (source.read(buffer, 64 * 1024) != -1) {
            if (buffer.size() > limit) throw new TooLarge(limit);
        }
        return buffer.readByteArray();
    }

    /** At most {@code limit} bytes of the body as text, for error messages; never throws. */
    static String readSome(ResponseBody body, int limit) {
        try {
            BufferedSource source = body.source();
            source.request(limit);
            Buffer buffered = source.getBuffer();
            return buffered.clone().readString(Math.min(limit, buffered.size()), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
