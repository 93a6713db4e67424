package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.pictor.core.LimitSpec;

import java.time.Duration;

/**
 * One limit of a plan as written in the configuration: {@code "3/1m"} is 3 images per minute, {@code "25/1d"} 25 per
 * day. Parsing and the rules (units s, m, h, d; a missing amount is 1; at most 3650 days) are the core's
 * {@link LimitSpec}; this record only binds it to YAML and keeps the unit as written.
 */
public record QuotaLimit(long images, long amount, char unit) {
    public QuotaLimit {
        new LimitSpec(images, amount, unit); // validates
    }

    @JsonCreator
    public static QuotaLimit parse(String text) {
        LimitSpec spec = LimitSpec.parse(text);
        return new QuotaLimit(spec.images(), spec.amount(), spec.unit());
    }

    public LimitSpec spec() {
        return new LimitSpec(images, amount, unit);
    }

    public Duration period() {
        return spec().period();
    }

    /** The period as written: {@code 1m}, {@code 24h}, {@code 1d}. */
    public String periodText() {
        return spec().periodId();
    }

    /** The limit as written: {@code 3/1m}. */
    @JsonValue
    @Override
    public String toString() {
        return spec().toString();
    }
}
