package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives {@code src/test/resources/specs/discord-routes.json} from Discord's published OpenAPI document
 * (discord/discord-api-spec, MIT): the routes pictor's bot calls, their query parameters and request bodies, and
 * every schema those bodies reference, stripped to the keywords the fake checks. The fake Discord reads only the
 * derived file, so the tests need no copy of the spec. Run it again when the spec or the bot's routes change:
 *
 * <pre>./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:$(cat target/cp.txt)" dev.pictor.discord.fake.DeriveDiscordRoutes \
 *     ../shared/specs/discord-openapi.json src/test/resources/specs/discord-routes.json</pre>
 */
public final class DeriveDiscordRoutes {
    /** method, path, and for union bodies the alternatives the bot may send (others are dropped: sending one fails). */
    private record Use(String method, String path, List<String> alternatives) {
    }

    private static final List<Use> USED = List.of(
            new Use("get", "/users/@me", List.of()),
            new Use("get", "/gateway/bot", List.of()),
            new Use("put", "/applications/{application_id}/commands", List.of()),
            new Use("put", "/applications/{application_id}/guilds/{guild_id}/commands", List.of()),
            // pictor defers (5), answers at once (4), or acknowledges a button without a new message (6, 7);
            // it never opens modals, launches activities or answers autocomplete.
            new Use("post", "/interactions/{interaction_id}/{interaction_token}/callback",
                    List.of("CreateMessageInteractionCallbackRequest", "UpdateMessageInteractionCallbackRequest")),
            new Use("post", "/webhooks/{webhook_id}/{webhook_token}", List.of()),
            new Use("patch", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", List.of()),
            new Use("delete", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", List.of()),
            // telling a member by DM that a restart interrupted their job
            new Use("post", "/users/@me/channels", List.of()),
            new Use("post", "/channels/{channel_id}/messages", List.of()));

    private static final Set<String> KEEP = Set.of("type", "required", "properties", "items", "maxItems", "minItems",
            "maxLength", "minLength", "minimum", "maximum", "enum", "oneOf", "anyOf", "allOf", "$ref", "pattern",
            "uniqueItems", "const", "additionalProperties", "maxProperties");

    private DeriveDiscordRoutes() {
    }

    public static void main(String[] args) throws IOException {
        Path spec = Path.of(args.length > 0 ? args[0] : "../shared/specs/discord-openapi.json");
        Path out = Path.of(args.length > 1 ? args[1] : "src/test/resources/specs/discord-routes.json");
        var mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(spec.toFile());
        JsonNode schemas = root.path("components").path("schemas");
        var f = JsonNodeFactory.instance;

        ArrayNode routes = f.arrayNode();
        var pending = new ArrayDeque<String>();
        for (Use use : USED) {
            JsonNode op = root.path("paths").path(use.path()).path(use.method());
            if (op.isMissingNode()) throw new IllegalStateException("the spec has no " + use.method() + " " + use.path());
            ObjectNode r = f.objectNode();
            r.put("method", use.method().toUpperCase(java.util.Locale.ROOT));
            r.put("path", use.path());
            r.put("operation", op.path("operationId").asText());
            ArrayNode query = r.putArray("query");
            for (JsonNode p : op.path("parameters")) if ("query".equals(p.path("in").asText())) query.add(p.path("name").asText());
            JsonNode body = op.path("requestBody");
            if (!body.isMissingNode()) {
                r.put("bodyRequired", body.path("required").asBoolean(false));
                ObjectNode content = r.putObject("body");
                for (Iterator<Map.Entry<String, JsonNode>> it = body.path("content").fields(); it.hasNext(); ) {
                    var e = it.next();
                    JsonNode schema = strip(e.getValue().path("schema"), use.alternatives());
                    collectRefs(schema, pending);
                    content.set(e.getKey(), schema);
                }
            }
            ArrayNode statuses = r.putArray("statuses");
            op.path("responses").fieldNames().forEachRemaining(statuses::add);
            routes.add(r);
        }
        var kept = new TreeMap<String, JsonNode>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (kept.containsKey(name)) continue;
            JsonNode s = strip(schemas.path(name), List.of());
            kept.put(name, s);
            collectRefs(s, pending);
        }

        var sb = new StringBuilder();
        sb.append("{\n\"source\": ").append(mapper.writeValueAsString(
                "Derived by dev.pictor.discord.fake.DeriveDiscordRoutes from discord/discord-api-spec openapi.json ("
                        + root.path("info").path("title").asText() + ", version " + root.path("info").path("version").asText()
                        + ", MIT licence). Routes pictor's bot calls; schemas stripped to the keywords the fake checks."));
        sb.append(",\n\"limits\": ").append(mapper.writeValueAsString(limits(f)));
        sb.append(",\n\"routes\": [\n");
        for (int i = 0; i < routes.size(); i++) {
            sb.append(mapper.writeValueAsString(routes.get(i))).append(i + 1 < routes.size() ? ",\n" : "\n");
        }
        sb.append("],\n\"schemas\": {\n");
        int i = 0;
        for (var e : kept.entrySet()) {
            sb.append(mapper.writeValueAsString(e.getKey())).append(": ").append(mapper.writeValueAsString(e.getValue()))
                    .append(++i < kept.size() ? ",\n" : "\n");
        }
        sb.append("}\n}\n");
        Files.writeString(out, sb.toString());
        System.out.println("wrote " + out + ": " + routes.size() + " routes, " + kept.size() + " schemas, "
                + sb.length() + " characters");
    }

    /** Facts from Discord's documentation that the OpenAPI document does not carry (see notes/limits-and-facts). */
    private static ObjectNode limits(JsonNodeFactory f) {
        ObjectNode l = f.objectNode();
        l.put("defaultAttachmentSizeLimit", 10L * 1024 * 1024);
        l.put("maxRequestBytes", 25L * 1024 * 1024);
        l.put("maxFilesPerMessage", 10);
        l.put("acknowledgeWithinMillis", 3000);
        l.put("interactionTokenMinutes", 15);
        l.put("maxCommandOptions", 25);
        l.put("maxOptionChoices", 25);
        return l;
    }

    private static JsonNode strip(JsonNode node, List<String> alternatives) {
        if (node.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> a.add(strip(n, List.of())));
            return a;
        }
        if (!node.isObject()) return node;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!KEEP.contains(e.getKey())) continue;
            if (e.getKey().equals("properties")) {
                ObjectNode props = o.putObject("properties");
                e.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), strip(p.getValue(), List.of())));
            } else if ((e.getKey().equals("anyOf") || e.getKey().equals("oneOf")) && !alternatives.isEmpty()) {
                ArrayNode a = o.putArray(e.getKey());
                for (JsonNode alt : e.getValue()) {
                    String ref = alt.path("$ref").asText("");
                    if (alternatives.contains(ref.substring(ref.lastIndexOf('/') + 1))) a.add(strip(alt, List.of()));
                }
            } else {
                o.set(e.getKey(), strip(e.getValue(), List.of()));
            }
        }
        return o;
    }

    private static void collectRefs(JsonNode node, ArrayDeque<String> into) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) into.add(ref.asText().substring(ref.asText().lastIndexOf('/') + 1));
            node.elements().forEachRemaining(n -> collectRefs(n, into));
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, into));
        }
    }
}
