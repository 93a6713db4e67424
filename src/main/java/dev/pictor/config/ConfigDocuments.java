package dev.pictor.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one YAML file into a {@link ConfigDoc}: text → tree → {@code ${VAR}} substitution, collecting what stops it
 * (missing, unreadable, not YAML, empty, not a mapping) as errors and the placeholders' doubts as warnings.
 */
final class ConfigDocuments {
    private static final Set<String> SECRET_KEYS = Set.of("api-key", "token", "webhook-secret");

    private final Function<String, String> env;
    private final YAMLMapper mapper;

    ConfigDocuments(Function<String, String> env) {
        this.env = env;
        this.mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .addModule(new ConfigModule())
                .build();
    }

    /**
     * The document of {@code file} (named {@code display} in messages), or null when it cannot be read as a mapping;
     * the variables each key was fed by go to {@code variables}, doubts to {@code warnings}.
     */
    ConfigDoc read(Path file, String display, List<ConfigError> errors, List<ConfigError> warnings,
                   Map<String, Map<String, List<String>>> variables) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            errors.add(new ConfigError(display, "", "file not found (`pictor init` writes the commented reference files)"));
            return null;
        } catch (IOException e) {
            errors.add(new ConfigError(display, "", "cannot read: " + e.getClass().getSimpleName()));
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            errors.add(yamlError(display, e));
            return null;
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            errors.add(new ConfigError(display, "", "is empty"));
            return null;
        }
        if (!(tree instanceof ObjectNode root)) {
            errors.add(new ConfigError(display, "", "must be a mapping of keys to values"));
            return null;
        }
        var placeholders = new Placeholders(env);
        placeholders.resolve(root);
        variables.put(display, Map.copyOf(placeholders.variables()));
        var doc = new ConfigDoc(display, root, mapper, errors, secrets(root));
        doc.addAll("", placeholders.problems());
        placeholders.warnings().forEach(w -> warnings.add(new ConfigError(display, w.key(), w.message())));
        return doc;
    }

    /** The values of every api-key, token and webhook-secret in the file, to be masked in messages. */
    private static Set<String> secrets(JsonNode node) {
        var out = new HashSet<String>();
        collectSecrets(node, out);
        return out;
    }

    private static void collectSecrets(JsonNode node, Set<String> out) {
        if (node == null) return;
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (SECRET_KEYS.contains(e.getKey()) && e.getValue().isValueNode()) {
                    String v = e.getValue().asText().strip();
                    if (v.length() >= 4) out.add(v);
                }
                collectSecrets(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectSecrets(n, out));
        }
    }

    /**
     * A YAML syntax error, placed where the broken construct starts (an unclosed quote is reported on the line of
     * its opening quote, not at the end of the file where the parser gave up), with where the parser gave up.
     */
    static ConfigError yamlError(String display, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getContextMark() != null && y.getContext() != null
                    && y.getProblemMark() != null && y.getContextMark().getLine() != y.getProblemMark().getLine()) {
                var start = y.getContextMark();
                var stop = y.getProblemMark();
                return new ConfigError(display, "line " + (start.getLine() + 1) + ", column " + (start.getColumn() + 1),
                        "not valid YAML: " + y.getContext().strip() + " that starts here; " + firstLine(y.getProblem())
                                + " at line " + (stop.getLine() + 1) + ", column " + (stop.getColumn() + 1)
                                + (y.getContext().contains("quoted") ? " (is a closing quote missing?)" : ""));
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ConfigError(display, where, "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
