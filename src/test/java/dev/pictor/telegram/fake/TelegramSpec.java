package dev.pictor.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the Bot API accepts, as derived from the published description into {@code specs/telegram-methods.json}
 * (see {@link DeriveTelegramMethods}): method names, each field's types, required fields, the length limits the
 * descriptions state, and constant {@code type} fields. {@link #check} lists everything a call breaks.
 */
public final class TelegramSpec {
    private final JsonNode methods;
    private final JsonNode types;

    private TelegramSpec(JsonNode root) {
        this.methods = root.path("methods");
        this.types = root.path("types");
    }

    public static TelegramSpec load() {
        try (InputStream in = TelegramSpec.class.getResourceAsStream("/specs/telegram-methods.json")) {
            if (in == null) throw new IllegalStateException("specs/telegram-methods.json is missing from the test resources");
            return new TelegramSpec(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The method's name as the spec spells it (calls arrive lower-case), or null when there is no such method. */
    public String canonical(String method) {
        for (Iterator<String> it = methods.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equalsIgnoreCase(method)) return name;
        }
        return null;
    }

    /**
     * Everything wrong with a call.
     *
     * @param params the call's fields; multipart values arrive as text (objects and arrays as JSON text)
     * @param files  the names of the multipart parts that carried files ({@code attach://name} targets)
     */
    public List<String> check(String method, Map<String, JsonNode> params, Set<String> files) {
        var problems = new ArrayList<String>();
        String name = canonical(method);
        if (name == null) {
            problems.add("no Bot API method " + method);
            return problems;
        }
        checkObject(name, methods.path(name), params, files, problems);
        return problems;
    }

    private void checkObject(String where, JsonNode def, Map<String, JsonNode> values, Set<String> files, List<String> problems) {
        JsonNode fields = def.path("fields");
        for (var e : values.entrySet()) {
            if (!fields.has(e.getKey())) problems.add(where + ": unknown field " + e.getKey());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode value = values.get(f.getKey());
            String at = where + "." + f.getKey();
            if (value == null || value.isNull()) {
                if (f.getValue().path("required").asBoolean()) problems.add(at + ": required but missing");
                continue;
            }
            checkField(at, f.getValue(), value, files, problems);
        }
    }

    private void checkField(String at, JsonNode field, JsonNode value, Set<String> files, List<String> problems) {
        List<String> best = null;
        for (JsonNode t : field.path("types")) {
            var tried = new ArrayList<String>();
            checkType(at, t.asText(), value, files, tried);
            if (tried.isEmpty()) {
                best = tried;
                break;
            }
            if (best == null || tried.size() < best.size()) best = tried;
        }
        if (best != null && !best.isEmpty()) {
            problems.addAll(best);
            return;
        }
        JsonNode resolved = asStructure(value);
        if (field.has("max")) {
            String unit = field.path("unit").asText();
            long size = switch (unit) {
                case "characters" -> resolved.asText().length();
                case "bytes" -> resolved.asText().getBytes(StandardCharsets.UTF_8).length;
                case "items" -> resolved.size();
                default -> resolved.asLong();
            };
            if (size < field.path("min").asLong() || size > field.path("max").asLong()) {
                problems.add(at + ": " + size + " " + unit + ", allowed " + field.path("min").asLong() + "-" + field.path("max").asLong());
            }
        }
        if (field.has("const") && !field.path("const").asText().equals(resolved.asText())) {
            problems.add(at + ": must be " + field.path("const").asText() + ", not " + resolved.asText());
        }
        if (field.has("pattern") && !resolved.asText().matches(field.path("pattern").asText())) {
            problems.add(at + ": " + resolved.asText() + " does not match " + field.path("pattern").asText());
        }
    }

    private void checkType(String at, String type, JsonNode value, Set<String> files, List<String> problems) {
        if (type.startsWith("Array of ")) {
            JsonNode arr = asStructure(value);
            if (!arr.isArray()) {
                problems.add(at + ": expected " + type + ", got " + value);
                return;
            }
            for (int i = 0; i < arr.size(); i++) checkType(at + "[" + i + "]", type.substring(9), arr.get(i), files, problems);
            return;
        }
        switch (type) {
            case "Integer" -> {
                if (!(value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?\\d{1,19}"))) {
                    problems.add(at + ": expected Integer, got " + value);
                }
            }
            case "Float" -> {
                if (!(value.isNumber() || value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?"))) {
                    problems.add(at + ": expected Float, got " + value);
                }
            }
            case "String" -> {
                if (!value.isTextual()) problems.add(at + ": expected String, got " + value);
                else if (value.asText().startsWith("attach://") && !files.contains(value.asText().substring(9))) {
                    problems.add(at + ": " + value.asText() + " names no uploaded part");
                }
            }
            case "Boolean", "True" -> {
                String s = value.asText().toLowerCase(Locale.ROOT);
                boolean ok = value.isBoolean() || value.isTextual() && (s.equals("true") || s.equals("false"));
                if (!ok || type.equals("True") && !s.equals("true")) problems.add(at + ": expected " + type + ", got " + value);
            }
            case "InputFile" -> {
                String s = value.asText();
                if (!value.isTextual() || !s.startsWith("attach://") || !files.contains(s.substring(9))) {
                    problems.add(at + ": expected an uploaded file (attach://<part>), got " + value);
                }
            }
            default -> checkTyped(at, type, value, files, problems);
        }
    }

    private void checkTyped(String at, String type, JsonNode value, Set<String> files, List<String> problems) {
        JsonNode def = types.path(type);
        if (def.isMissingNode()) {
            problems.add(at + ": type " + type + " is not in the derived spec");
            return;
        }
        JsonNode obj = asStructure(value);
        if (!obj.isObject()) {
            problems.add(at + ": expected a " + type + " object, got " + value);
            return;
        }
        if (def.has("oneOf")) {
            List<String> best = null;
            for (JsonNode sub : def.path("oneOf")) {
                var tried = new ArrayList<String>();
                checkTyped(at, sub.asText(), obj, files, tried);
                if (tried.isEmpty()) return;
                if (best == null || tried.size() < best.size()) best = tried;
            }
            problems.addAll(best == null ? List.of(at + ": no subtype of " + type) : best);
            return;
        }
        var values = new java.util.LinkedHashMap<String, JsonNode>();
        obj.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        checkObject(type + "@" + at, def, values, files, problems);
    }

    /** A multipart value holding JSON text, read as JSON; anything else as it is. */
    private static JsonNode asStructure(JsonNode value) {
        if (value.isTextual()) {
            String s = value.asText().strip();
            if (s.startsWith("{") || s.startsWith("[")) {
                try {
                    return new ObjectMapper().readTree(s);
                } catch (IOException e) {
                    return value;
                }
            }
        }
        return value;
    }
}
