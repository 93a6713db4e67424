package dev.pictor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import dev.pictor.core.Platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How the configuration reads durations ({@code 30s}), sizes ({@code 20MB}) and a bot profile's platform. */
final class ConfigModule extends SimpleModule {
    ConfigModule() {
        super("pictor-config");
        addDeserializer(Duration.class, new DurationDeserializer());
        addDeserializer(Platform.class, new PlatformDeserializer());
    }

    /** A bot profile runs on Discord or Telegram; the terminal is a platform of members, not of bots. */
    static final class PlatformDeserializer extends JsonDeserializer<Platform> {
        static final List<Platform> BOTS = List.of(Platform.DISCORD, Platform.TELEGRAM);

        @Override
        public Platform deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            return Platform.find(text).filter(BOTS::contains).orElseThrow(() -> Invalid.of("", "unknown platform \""
                    + text + "\" (known: " + BOTS.stream().map(Platform::id).collect(Collectors.joining(", ")) + ")"));
        }
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
