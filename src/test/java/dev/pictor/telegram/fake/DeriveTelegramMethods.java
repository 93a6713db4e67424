package dev.pictor.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Derives {@code src/test/resources/specs/telegram-methods.json} from the published Bot API description
 * (telegram-bot-api.json, not kept in this repository): for the methods the bot calls, and every type their fields
 * can carry, each field's types, whether it is required, and the limits its description states ("1-4096
 * characters", "1-64 bytes", "2-10 items", "must be photo"). Run by hand when the bot starts using another method:
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.pictor.telegram.fake.DeriveTelegramMethods \
 *   -Dexec.args="../shared/specs/telegram-bot-api.json src/test/resources/specs/telegram-methods.json"</pre>
 */
public final class DeriveTelegramMethods {
    /** The methods the bot calls (and the fake answers). */
    static final List<String> METHODS = List.of("getMe", "deleteWebhook", "setWebhook", "getWebhookInfo", "getUpdates", "setMyCommands", "sendMessage",
            "sendPhoto", "sendDocument", "sendMediaGroup", "sendChatAction", "answerCallbackQuery", "deleteMessage",
            "deleteMessages");
    private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+) (characters|bytes|items|identifiers)");
    private static final Pattern VALUES = Pattern.compile("Values between (\\d+)-(\\d+)");
    private static final Pattern CONST = Pattern.compile("(?:must be|always) \"?([a-z_]+)\"?");
    private static final Set<String> SCALARS = Set.of("Integer", "String", "Boolean", "Float", "True", "InputFile");

    public static void main(String[] args) throws Exception {
        if (args.length != 2) throw new IllegalArgumentException("usage: <telegram-bot-api.json> <out.json>");
        var json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode spec = json.readTree(new File(args[0]));
        ObjectNode out = json.createObjectNode();
        out.put("source", spec.path("version").asText() + " (" + spec.path("release_date").asText() + ")");
        out.put("derivedBy", DeriveTelegramMethods.class.getName());
        ObjectNode methods = out.putObject("methods");
        var pending = new ArrayDeque<String>();
        for (String name : METHODS) {
            JsonNode m = spec.path("methods").path(name);
            if (m.isMissingNode()) throw new IllegalStateException("no method " + name + " in the spec");
            methods.set(name, fields(json, m.path("fields"), pending));
        }
        var types = new TreeMap<String, JsonNode>();
        var seen = new LinkedHashSet<String>();
        while (!pending.isEmpty()) {
            String t = pending.poll();
            if (!seen.add(t)) continue;
            JsonNode type = spec.path("types").path(t);
            if (type.isMissingNode()) throw new IllegalStateException("no type " + t + " in the spec");
            ObjectNode o = fields(json, type.path("fields"), pending);
            if (type.has("subtypes")) {
                var subs = o.putArray("oneOf");
                for (JsonNode s : type.path("subtypes")) {
                    subs.add(s.asText());
                    pending.add(s.asText());
                }
            }
            types.put(t, o);
        }
        ObjectNode typeNode = out.putObject("types");
        types.forEach(typeNode::set);
        json.writeValue(new File(args[1]), out);
        System.out.println("wrote " + METHODS.size() + " methods and " + types.size() + " types to " + args[1]);
    }

    private static ObjectNode fields(ObjectMapper json, JsonNode fields, ArrayDeque<String> pending) {
        ObjectNode o = json.createObjectNode();
        ObjectNode f = o.putObject("fields");
        for (JsonNode field : fields) {
            ObjectNode d = f.putObject(field.path("name").asText());
            var types = d.putArray("types");
            for (JsonNode t : field.path("types")) {
                types.add(t.asText());
                String base = t.asText().replace("Array of ", "");
                if (!SCALARS.contains(base)) pending.add(base);
            }
            d.put("required", field.path("required").asBoolean());
            String desc = field.path("description").asText();
            var range = RANGE.matcher(desc);
            if (range.find()) {
                d.put("min", Integer.parseInt(range.group(1)));
                d.put("max", Integer.parseInt(range.group(2)));
                d.put("unit", range.group(3).equals("identifiers") ? "items" : range.group(3));
            }
            var values = VALUES.matcher(desc);
            if (values.find()) {
                d.put("min", Integer.parseInt(values.group(1)));
                d.put("max", Integer.parseInt(values.group(2)));
                d.put("unit", "value");
            }
            var constant = CONST.matcher(desc);
            if (field.path("name").asText().equals("type") && constant.find()) d.put("const", constant.group(1));
            if (desc.contains("only lowercase English letters, digits and underscores")) d.put("pattern", "[a-z0-9_]+");
            if (desc.contains("Only characters A-Z, a-z, 0-9, _ and - are allowed")) d.put("pattern", "[A-Za-z0-9_-]+");
        }
        return o;
    }
}
