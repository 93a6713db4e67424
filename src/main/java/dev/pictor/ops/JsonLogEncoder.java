package dev.pictor.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per log line, for log collectors: {@code time} (ISO-8601, UTC, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message}; then the MDC entries (a job's {@code job}, {@code platform},
 * {@code model}) and the event's SLF4J key-value pairs ({@code outcome}, {@code provider}, {@code duration_ms}…) as
 * top-level fields (numbers stay numbers); and {@code exception} with the stack trace when there is one. Logback's
 * own JsonEncoder writes epoch milliseconds and nests these, which collectors do not read as fields. Wrap it in a
 * {@link RedactingEncoder} so that secrets are masked.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    // One pool of generator buffers for every thread: Jackson's default pool keeps them in a thread-local, so each
    // (virtual) job thread that logs a line would hold its own ~16 KB of buffers for as long as it lives.
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "level", "logger", "thread", "message", "exception");

    /** The generators' buffer pool (shared by every thread). */
    static RecyclerPool<BufferRecycler> bufferPool() {
        return JSON._getRecyclerPool();
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        var bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (var e : mdc.entrySet()) {
                    if (!RESERVED.contains(e.getKey()) && e.getValue() != null) g.writeStringField(e.getKey(), e.getValue());
                }
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    if (kv.key == null || RESERVED.contains(kv.key) || kv.value == null) continue;
                    g.writeFieldName(kv.key);
                    switch (kv.value) {
                        case Integer i -> g.writeNumber(i);
                        case Long l -> g.writeNumber(l);
                        case Double d -> g.writeNumber(d);
                        case Boolean b -> g.writeBoolean(b);
                        default -> g.writeString(kv.value.toString());
                    }
                }
            }
            if (event.getThrowableProxy() != null) g.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.writeBytes(CoreConstants.LINE_SEPARATOR.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
