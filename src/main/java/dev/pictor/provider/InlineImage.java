package dev.pictor.provider;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import okio.Buffer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An image a provider sent inline ({@code b64_json}), as read from the answer: its decoded bytes, or why it was not
 * kept. The wire records of both dialects declare their {@code b64_json} field with this type, so that the base64
 * text is never held as a String: {@link Deserializer} decodes it straight from the parser's input buffer (Jackson's
 * incremental {@code readBinaryValue}) into at most {@code maxBytes} bytes and, past that, only counts the rest.
 *
 * <p>Accepted: the standard base64 alphabet, padded or not, with line breaks between 4-character groups.
 */
@JsonDeserialize(using = InlineImage.Deserializer.class)
public final class InlineImage {
    /** The {@link com.fasterxml.jackson.databind.ObjectReader} attribute holding the largest image kept, in bytes. */
    public static final String MAX_BYTES = "pictor.inline-image.max-bytes";
    static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

    private final byte[] bytes;
    private final long decodedSize;
    private final long limit;

    private InlineImage(byte[] bytes, long decodedSize, long limit) {
        this.bytes = bytes;
        this.decodedSize = decodedSize;
        this.limit = limit;
    }

    /** The decoded bytes; null when the image was {@link #oversized()} or {@link #invalid()} (or empty). */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether the image decodes to more than the limit (its bytes were not kept). */
    public boolean oversized() {
        return bytes == null && decodedSize > limit;
    }

    /** Whether the text was not base64 (or was empty). */
    public boolean invalid() {
        return bytes == null && !oversized();
    }

    /** How many bytes the image decodes to (counted to the end even when oversized); -1 when invalid. */
    public long decodedSize() {
        return decodedSize;
    }

    /** The limit it was read with. */
    public long limit() {
        return limit;
    }

    static InlineImage invalid(long limit) {
        return new InlineImage(null, -1, limit);
    }

    /** Decodes a {@code b64_json} string value with a bound; anything that is not a string is invalid. */
    public static final class Deserializer extends JsonDeserializer<InlineImage> {
        @Override
        public InlineImage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object attribute = ctxt.getAttribute(MAX_BYTES);
            long limit = attribute instanceof Number n ? n.longValue() : HttpImageFetcher.DEFAULT_MAX_BYTES;
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                p.skipChildren();
                return invalid(limit);
            }
            var sink = new BoundedSink(limit);
            try {
                p.readBinaryValue(BASE64, sink);
            } catch (StreamReadException | IllegalArgumentException notBase64) {
                // The parser skips the rest of this string at its next token.
                return invalid(limit);
            }
            if (sink.total == 0) return invalid(limit);
            if (sink.total > limit) return new InlineImage(null, sink.total, limit);
            return new InlineImage(sink.kept.readByteArray(), sink.total, limit);
        }
    }

    /** Keeps up to {@code limit} bytes; past it drops what it kept and only counts. */
    private static final class BoundedSink extends OutputStream {
        final long limit;
        final Buffer kept = new Buffer();
        long total;

        BoundedSink(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            total += len;
            if (total > limit) {
                kept.clear();
                return;
            }
            kept.write(b, off, len);
        }
    }
}
