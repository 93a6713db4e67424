package dev.pictor.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;

/**
 * A logback encoder that wraps another (text pattern or JSON) and masks secrets in what it produced, so that no
 * log line, message or stack trace carries a token or key, whatever library wrote it.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> delegate;

    public void setDelegate(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start() {
        if (delegate == null) {
            addError("RedactingEncoder needs a <delegate> encoder");
            return;
        }
        if (!delegate.isStarted()) delegate.start();
        super.start();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] raw = delegate.encode(event);
        String text = new String(raw, StandardCharsets.UTF_8);
        String clean = Secrets.redact(text);
        return clean == text ? raw : clean.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
