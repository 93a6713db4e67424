package dev.pictor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in scalar values, resolved from an environment before binding, with the
 * shell's meanings: {@code ${VAR}} with VAR unset is empty; {@code ${VAR:-default}} gives the default when VAR is unset
 * or empty ({@code ${VAR-default}}: only when unset); {@code ${VAR:?message}} is a mistake naming VAR and the message
 * when VAR is unset or empty ({@code ${VAR?message}}: only when unset); {@code $${...}} is a literal {@code ${...}}.
 * A value that is only {@code $VAR} (no braces) is used as it is, with a warning that it probably meant {@code ${VAR}}. A value that is one placeholder and nothing else takes the type its
 * text reads as ({@code true}, {@code 42}, {@code 0.5}), so {@code port: ${PORT:-8080}} is a number. Keys are never
 * substituted.
 */
public final class Placeholders {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** name, then an optional operator (:-, -, :?, ?) and its word. */
    private static final Pattern INNER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])(.*))?", Pattern.DOTALL);
    /** A whole value that looks like a shell variable written without braces. */
    private static final Pattern BARE = Pattern.compile("\\$([A-Z_][A-Z0-9_]*)");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

    private final Function<String, String> env;
    /** Key path → variables its value was made from, for {@code check}'s hints ("not set: AIMLAPI_KEY"). */
    private final Map<String, List<String>> variables = new LinkedHashMap<>();
    private final List<Invalid.Problem> problems = new ArrayList<>();
    private final List<Invalid.Problem> warnings = new ArrayList<>();

    public Placeholders(Function<String, String> env) {
        this.env = env;
    }

    public static Placeholders of(Map<String, String> env) {
        return new Placeholders(env::get);
    }

    /** Substitutes in place every text value under {@code root}; problems (e.g. an unclosed {@code ${}) are collected. */
    public JsonNode resolve(JsonNode root) {
        return walk(root, "");
    }

    public Map<String, List<String>> variables() {
        return variables;
    }

    public List<Invalid.Problem> problems() {
        return problems;
    }

    /** Values that are kept but probably not what was meant (a bare {@code $VAR}). */
    public List<Invalid.Problem> warnings() {
        return warnings;
    }

    private JsonNode walk(JsonNode node, String path) {
        if (node instanceof ObjectNode obj) {
            var names = new ArrayList<String>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) obj.set(name, walk(obj.get(name), KeyPaths.join(path, name)));
            return obj;
        }
        if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) arr.set(i, walk(arr.get(i), KeyPaths.index(path, i)));
            return arr;
        }
        if (node != null && node.isTextual()) return substitute(node.textValue(), path);
        return node;
    }

    private JsonNode substitute(String text, String path) {
        var bare = BARE.matcher(text.strip());
        if (bare.matches()) {
            warnings.add(new Invalid.Problem(path, "\"$" + bare.group(1) + "\" is used as it is, not read from the environment;"
                    + " write ${" + bare.group(1) + "} to use the variable " + bare.group(1)));
        }
        if (!text.contains("${")) return TextNode.valueOf(text);
        var out = new StringBuilder();
        var used = new ArrayList<String>();
        int placeholders = 0;
        boolean literalOnly = true;
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                literalOnly = false;
                continue;
            }
            if (!text.startsWith("${", i)) {
                out.append(text.charAt(i++));
                literalOnly = false;
                continue;
            }
            int end = text.indexOf('}', i + 2);
            if (end < 0) {
                problems.add(new Invalid.Problem(path, "unclosed \"${\": write ${VAR} or ${VAR:-default}"));
                return TextNode.valueOf(text);
            }
            String inner = text.substring(i + 2, end);
            var m = INNER.matcher(inner);
            if (!m.matches()) {
                problems.add(new Invalid.Problem(path, "bad placeholder \"${" + inner + "}\": write ${VAR}, ${VAR:-default}"
                        + " or ${VAR:?message}, where VAR is letters, digits and _"));
                return TextNode.valueOf(text);
            }
            String name = m.group(1), op = m.group(2), word = m.group(3);
            used.add(name);
            placeholders++;
            String value = env.apply(name);
            boolean unset = value == null || (op != null && op.startsWith(":") && value.isEmpty());
            if (unset && op != null && op.endsWith("?")) {
                problems.add(new Invalid.Problem(path, name + " is not set" + (word.isBlank() ? "" : ": " + word.strip())));
                value = "";
            } else if (unset && op != null) {
                value = word;
            } else if (value == null) {
                value = "";
            }
            out.append(value);
            i = end + 1;
        }
        if (!used.isEmpty()) variables.put(path, List.copyOf(used));
        String result = out.toString();
        return placeholders == 1 && literalOnly ? typed(result) : TextNode.valueOf(result);
    }

    /** The node a lone placeholder's value reads as: a boolean, a number, or text. */
    private static JsonNode typed(String value) {
        String v = value.strip();
        if (v.equals("true") || v.equals("false")) return BooleanNode.valueOf(Boolean.parseBoolean(v));
        if (INTEGER.matcher(v).matches()) return LongNode.valueOf(Long.parseLong(v));
        if (DECIMAL.matcher(v).matches()) return DoubleNode.valueOf(Double.parseDouble(v));
        return TextNode.valueOf(value);
    }
}
