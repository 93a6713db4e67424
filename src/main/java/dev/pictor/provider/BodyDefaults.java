package dev.pictor.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A provider's {@code defaults} as a dialect reads them: each key must be one the dialect knows (kebab-case is
 * accepted for snake_case: {@code safety-setting} = {@code safety_setting}), each value of the right kind. Every
 * refusal is an {@link IllegalArgumentException} naming {@code providers.<name>.defaults.<key>}.
 */
public final class BodyDefaults {
    private final ProviderSettings settings;
    private final Map<String, Object> values;

    private BodyDefaults(ProviderSettings settings, Map<String, Object> values) {
        this.settings = settings;
        this.values = values;
    }

    /** Checks that every key is among {@code known}. */
    public static BodyDefaults read(ProviderSettings settings, List<String> known) {
        var values = new LinkedHashMap<String, Object>();
        settings.defaults().forEach((rawKey, value) -> {
            String key = rawKey.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (!known.contains(key)) {
                throw new IllegalArgumentException(settings.keyPath("defaults." + rawKey) + " is not a setting of the "
                        + settings.dialect() + " dialect (known: " + String.join(", ", known) + ")");
            }
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException(settings.keyPath("defaults." + rawKey) + " is given twice");
            }
        });
        return new BodyDefaults(settings, values);
    }

    /** A string among {@code allowed}, or null when not set. */
    public String oneOf(String key, List<String> allowed) {
        Object v = values.get(key);
        if (v == null) return null;
        String s = v.toString().trim();
        if (!(v instanceof String) || !allowed.contains(s)) {
            throw bad(key, v, "one of " + String.join(", ", allowed));
        }
        return s;
    }

    /** A string matching {@code pattern}, or null when not set. */
    public String matching(String key, Pattern pattern, String expected) {
        Object v = values.get(key);
        if (v == null) return null;
        String s = v.toString().trim();
        if (!(v instanceof String) || !pattern.matcher(s).matches()) throw bad(key, v, expected);
        return s;
    }

    /** true/false (a YAML boolean, or the strings "true"/"false"), or null when not set. */
    public Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        throw bad(key, v, "true or false");
    }

    /** A whole number in {@code [min, max]}, or null when not set. */
    public Integer integer(String key, int min, int max) {
        Object v = values.get(key);
        if (v == null) return null;
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.trim().matches("-?\\d{1,10}")) {
            n = Long.parseLong(s.trim());
        } else {
            throw bad(key, v, "a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) throw bad(key, v, "a whole number from " + min + " to " + max);
        return (int) n;
    }

    private IllegalArgumentException bad(String key, Object value, String expected) {
        return new IllegalArgumentException(settings.keyPath("defaults." + key) + " must be " + expected
                + ", not '" + value + "'");
    }
}
