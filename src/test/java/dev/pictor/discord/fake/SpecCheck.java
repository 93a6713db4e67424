package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts derived from Discord's OpenAPI document ({@code specs/discord-routes.json}, see
 * {@link DeriveDiscordRoutes}) and a checker for the subset of JSON Schema they use: {@code $ref, type, enum, const,
 * properties, required, items, min/maxItems, uniqueItems, min/maxLength, pattern, minimum, maximum, oneOf, anyOf,
 * allOf, maxProperties}. It is stricter than JSON Schema in one way: a property that no schema of an object declares
 * is reported, so that a misspelt field cannot pass unnoticed.
 */
public final class SpecCheck {
    public record Route(String method, String path, String operation, Pattern regex, List<String> params,
                        Set<String> query, JsonNode body, boolean bodyRequired) {
        Optional<Map<String, String>> match(String method, String path) {
            if (!this.method.equals(method)) return Optional.empty();
            Matcher m = regex.matcher(path);
            if (!m.matches()) return Optional.empty();
            var values = new java.util.LinkedHashMap<String, String>();
            for (int i = 0; i < params.size(); i++) values.put(params.get(i), m.group(i + 1));
            return Optional.of(values);
        }
    }

    private final JsonNode schemas;
    private final JsonNode limits;
    private final List<Route> routes = new ArrayList<>();

    private SpecCheck(JsonNode doc) {
        this.schemas = doc.path("schemas");
        this.limits = doc.path("limits");
        for (JsonNode r : doc.path("routes")) {
            var params = new ArrayList<String>();
            var regex = new StringBuilder();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(r.path("path").asText());
            int last = 0;
            String path = r.path("path").asText();
            while (m.find()) {
                regex.append(Pattern.quote(path.substring(last, m.start()))).append("([^/]+)");
                params.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(path.substring(last)));
            var query = new HashSet<String>();
            r.path("query").forEach(q -> query.add(q.asText()));
            routes.add(new Route(r.path("method").asText(), path, r.path("operation").asText(),
                    Pattern.compile(regex.toString()), List.copyOf(params), Set.copyOf(query), r.get("body"),
                    r.path("bodyRequired").asBoolean(false)));
        }
        // Literal segments first: ".../messages/@original" before ".../messages/{message_id}".
        routes.sort((a, b) -> Integer.compare(a.params().size(), b.params().size()));
    }

    public static SpecCheck load() {
        try (InputStream in = SpecCheck.class.getResourceAsStream("/specs/discord-routes.json")) {
            if (in == null) throw new IllegalStateException("specs/discord-routes.json is missing from the test resources");
            return new SpecCheck(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long limit(String name) {
        JsonNode n = limits.get(name);
        if (n == null) throw new IllegalArgumentException("no limit " + name + " in discord-routes.json");
        return n.asLong();
    }

    /** The route the spec has for this method and path (relative to the API base, e.g. {@code /users/@me}). */
    public Optional<Map.Entry<Route, Map<String, String>>> route(String method, String path) {
        for (Route r : routes) {
            var m = r.match(method, path);
            if (m.isPresent()) return Optional.of(Map.entry(r, m.get()));
        }
        return Optional.empty();
    }

    /** Problems of {@code value} against the body schema for {@code contentType}; empty when it conforms. */
    public List<String> checkBody(Route route, String contentType, JsonNode value) {
        if (route.body() == null) return List.of("the spec declares no body for " + route.operation());
        JsonNode schema = route.body().get(contentType);
        if (schema == null) {
            return List.of(route.operation() + " takes no " + contentType + " body; the spec allows "
                    + iterable(route.body().fieldNames()));
        }
        var problems = new ArrayList<String>();
        validate(schema, value, "body", false, problems);
        return problems;
    }

    /** The names of the file parts the multipart body of this route declares, or empty when it declares none. */
    public Set<String> declaredFileParts(Route route) {
        JsonNode schema = route.body() == null ? null : route.body().get("multipart/form-data");
        var names = new LinkedHashSet<String>();
        if (schema != null) collectProperties(schema, names);
        names.removeIf(n -> !n.startsWith("files["));
        return names;
    }

    private void validate(JsonNode schema, JsonNode value, String at, boolean open, List<String> problems) {
        if (schema.has("$ref")) {
            validate(resolve(schema.get("$ref").asText()), value, at, open, problems);
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            problems.add(at + ": expected " + type + " but got " + kind(value) + " " + shortText(value));
            return;
        }
        if (value.isNull()) return;
        if (schema.has("const") && !same(schema.get("const"), value)) {
            problems.add(at + ": must be " + schema.get("const") + ", not " + shortText(value));
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= same(e, value);
            if (!found) problems.add(at + ": " + shortText(value) + " is not one of " + schema.get("enum"));
        }
        if (value.isTextual()) {
            String s = value.asText();
            int len = s.codePointCount(0, s.length());
            if (schema.has("maxLength") && len > schema.get("maxLength").asInt()) {
                problems.add(at + ": " + len + " characters, the limit is " + schema.get("maxLength").asInt());
            }
            if (schema.has("minLength") && len < schema.get("minLength").asInt()) {
                problems.add(at + ": " + len + " characters, at least " + schema.get("minLength").asInt() + " needed");
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                problems.add(at + ": " + shortText(value) + " does not match " + schema.get("pattern").asText());
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
                problems.add(at + ": " + value + " is below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
                problems.add(at + ": " + value + " is above the maximum " + schema.get("maximum"));
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                problems.add(at + ": " + value.size() + " items, the limit is " + schema.get("maxItems").asInt());
            }
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                problems.add(at + ": " + value.size() + " items, at least " + schema.get("minItems").asInt() + " needed");
            }
            if (schema.path("uniqueItems").asBoolean(false) && new HashSet<>(iterable(value.elements())).size() != value.size()) {
                problems.add(at + ": items must be unique");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) validate(schema.get("items"), value.get(i), at + "[" + i + "]", false, problems);
            }
        }
        if (value.isObject()) {
            if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
                problems.add(at + ": " + value.size() + " properties, the limit is " + schema.get("maxProperties").asInt());
            }
            for (JsonNode req : schema.path("required")) {
                if (!value.has(req.asText())) problems.add(at + ": the required field '" + req.asText() + "' is missing");
            }
            JsonNode props = schema.get("properties");
            if (props != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    var f = it.next();
                    if (props.has(f.getKey())) validate(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), false, problems);
                    else if (schema.get("additionalProperties") instanceof JsonNode ap && ap.isObject()) {
                        validate(ap, f.getValue(), at + "." + f.getKey(), false, problems);
                    }
                }
            } else if (schema.get("additionalProperties") instanceof JsonNode ap && ap.isObject()) {
                value.fields().forEachRemaining(f -> validate(ap, f.getValue(), at + "." + f.getKey(), false, problems));
            }
            if (!open && (props != null || schema.has("allOf"))) {
                var known = new HashSet<String>();
                collectProperties(schema, known);
                boolean anyAllowed = schema.has("additionalProperties") && !schema.get("additionalProperties").isBoolean()
                        || schema.path("additionalProperties").asBoolean(false);
                if (!anyAllowed) {
                    value.fieldNames().forEachRemaining(n -> {
                        if (!known.contains(n)) problems.add(at + "." + n + ": not a field the spec declares here");
                    });
                }
            }
        }
        if (schema.has("allOf")) {
            for (JsonNode s : schema.get("allOf")) validate(s, value, at, true, problems);
        }
        for (String union : List.of("oneOf", "anyOf")) {
            if (!schema.has(union)) continue;
            List<String> closest = null;
            int matches = 0;
            for (JsonNode alt : schema.get(union)) {
                var p = new ArrayList<String>();
                validate(alt, value, at, open, p);
                if (p.isEmpty()) matches++;
                else if (closest == null || p.size() < closest.size()) closest = p;
            }
            if (matches == 0) {
                problems.add(at + ": matches none of the " + schema.get(union).size() + " allowed shapes; closest: "
                        + (closest == null ? "-" : String.join("; ", closest)));
            } else if (union.equals("oneOf") && matches > 1 && !allConst(schema.get(union))) {
                problems.add(at + ": matches " + matches + " shapes of a oneOf");
            }
        }
    }

    private static boolean allConst(JsonNode alts) {
        for (JsonNode a : alts) if (!a.has("const")) return false;
        return true;
    }

    /** Every property name declared by the schema, through $ref, allOf and (for open unions) their branches. */
    private void collectProperties(JsonNode schema, Set<String> into) {
        if (schema.has("$ref")) collectProperties(resolve(schema.get("$ref").asText()), into);
        schema.path("properties").fieldNames().forEachRemaining(into::add);
        for (String k : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode s : schema.path(k)) collectProperties(s, into);
        }
    }

    private JsonNode resolve(String ref) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        JsonNode s = schemas.get(name);
        if (s == null) throw new IllegalStateException("discord-routes.json lacks the schema " + name);
        return s;
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "null" -> v.isNull();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            default -> true;
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shortText(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static <T> List<T> iterable(Iterator<T> it) {
        var l = new ArrayList<T>();
        it.forEachRemaining(l::add);
        return l;
    }
}
