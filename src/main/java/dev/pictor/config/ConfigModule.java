package dev.pictor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.time.Duration;

/** How the configuration reads durations ({@code 30s}) and sizes ({@code 20MB}). */
final class ConfigModule extends SimpleModule {
    ConfigModule() {
        super("pictor-config");
        addDeserializer(Duration.class, new DurationDeserializer());
    }

    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                throw Invalid.of("", "a duration needs a unit: write \"" + p.getText() + "s\" (units ms, s, m, h, d)");
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw Invalid.of("", "write a duration such as \"30s\" (units ms, s, m, h, d)");
            }
            try {
                return Units.duration(p.getText());
            } catch (IllegalArgumentException e) {
                throw Invalid.of("", e.getMessage());
            }
        }
    }

    static final class SizeDeserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw Invalid.of("", "write a size such as \"20MB\" or a number of bytes");
            }
            try {
                return Units.bytes(p.getText());
            } catch (IllegalArgumentException e) {
                throw Invalid.of("", e.getMessage());
            }
        }
    }
}
