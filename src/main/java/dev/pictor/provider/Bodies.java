package dev.pictor.provider;

import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
            // One copy, straight from the socket buffers a segment at a time (readFully would first buffer the
            // whole body in okio segments, holding it twice).
            byte[] exact = new byte[(int) declared];
            for (int off = 0; off < exact.length; ) {
                int n = source.read(exact, off, exact.length - off);
                if (n < 0) throw new java.io.EOFException("the body ended after " + off + " of " + exact.length + " bytes");
                off += n;
            }
            return exact;
        }
        Buffer buffer = new Buffer();
        while (source.read(buffer, 64 * 1024) != -1) {
            if (buffer.size() > limit) throw new TooLarge(limit);
        }
        return buffer.readByteArray();
    }

    /**
     * The body as a stream that throws {@link TooLarge} once more than {@code limit} bytes have come (this also
     * bounds a gzip body after decoding).
     */
    static InputStream cappedStream(InputStream body, long limit) {
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) count(1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) count(n);
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                if (skipped > 0) count(skipped);
                return skipped;
            }

            private void count(long n) throws TooLarge {
                read += n;
                if (read > limit) throw new TooLarge(limit);
            }
        };
    }

    /** At most {@code limit} bytes of the body as text, for error messages; never throws. */
    static String readSome(InputStream body, int limit) {
        try {
            return new String(body.readNBytes(limit), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
