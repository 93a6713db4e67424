package dev.pictor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pictor.provider.Providers;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One file being read: binds its sections to records and turns each binding error into a {@link ConfigError} with
 * the file and key path, masking the file's secrets (values of {@code api-key}, {@code token} and {@code webhook-secret}).
 */
final class ConfigDoc {
    final String file;
    final ObjectNode root;
    private final YAMLMapper mapper;
    private final List<ConfigError> errors;
    private final Set<String> secrets;
    private final int before;

    ConfigDoc(String file, ObjectNode root, YAMLMapper mapper, List<ConfigError> errors, Set<String> secrets) {
        this.file = file;
        this.root = root;
        this.mapper = mapper;
        this.errors = errors;
        this.secrets = secrets;
        this.before = errors.size();
    }

    /** Whether this file added an error. */
    boolean failed() {
        return errors.size() > before;
    }

    void add(String path, String message) {
        String m = message;
        for (String s : secrets) m = m.replace(s, "(secret)");
        var error = new ConfigError(file, path, m);
        if (!errors.contains(error)) errors.add(error);
    }

    void addAll(String base, Collection<Invalid.Problem> problems) {
        for (Invalid.Problem p : problems) add(KeyPaths.join(base, p.key()), p.message());
    }

    /** Reports every key below {@code node} that {@code type} does not take (see {@link UnknownKeys#report}). */
    void unknownKeys(JsonNode node, String path, Type type) {
        UnknownKeys.report(node, path, type, this::add);
    }

    /** What the provider's dialect says about its settings (e.g. a {@code defaults} key it does not know). */
    void checkDialect(String name, ProviderConfig provider) {
        try {
            Providers.validate(provider.toSettings(name));
        } catch (IllegalArgumentException e) {
            // The provider package names the key first: "providers.x.defaults.y is not …" or "providers.x.dialect: …"
            String m = e.getMessage() == null ? "invalid" : e.getMessage();
            int space = m.indexOf(' ');
            if (m.startsWith("providers." + name + ".") && space > 0) {
                String path = m.substring(0, space);
                String rest = m.substring(space + 1);
                if (path.endsWith(":")) path = path.substring(0, path.length() - 1);
                add(path, rest);
            } else {
                add("providers." + name, m);
            }
        }
    }

    <T> T bind(JsonNode node, String path, Class<T> type) {
        return bind(node, path, mapper.constructType(type));
    }

    <T> T bind(JsonNode node, String path, TypeReference<T> type) {
        return bind(node, path, mapper.getTypeFactory().constructType(type));
    }

    <T> T bind(JsonNode node, String path, JavaType type) {
        if (node == null || node.isNull()) return null;
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonMappingException e) {
            report(path, e);
            return null;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            add(path, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return null;
        }
    }

    /** Binds each entry of a mapping on its own, so that one bad entry does not hide the others' mistakes. */
    <T> Map<String, T> bindEach(JsonNode node, String path, Class<T> type) {
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) {
            add(path, "must be a mapping of names to settings");
            return null;
        }
        var out = new LinkedHashMap<String, T>();
        node.properties().forEach(e -> {
            String at = KeyPaths.join(path, e.getKey());
            if (!e.getValue().isObject()) add(at, "must be a mapping of keys to values");
            else {
                T value = bind(e.getValue(), at, type);
                if (value != null) out.put(e.getKey(), value);
            }
        });
        return out;
    }

    private void report(String base, JsonMappingException e) {
        String path = base;
        for (JsonMappingException.Reference ref : e.getPath()) {
            path = ref.getFieldName() != null ? KeyPaths.join(path, ref.getFieldName()) : KeyPaths.index(path, ref.getIndex());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Invalid invalid) {
                addAll(path, invalid.problems());
                return;
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            add(path, UnknownKeys.message(u.getReferringClass()));
            return;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae && iae.getMessage() != null) {
                add(path, iae.getMessage());
                return;
            }
        }
        if (e instanceof InvalidFormatException f) {
            add(path, "expected " + describe(f.getTargetType()) + ", not \"" + f.getValue() + "\"");
            return;
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            add(path, "expected " + describe(m.getTargetType()));
            return;
        }
        add(path, ConfigDocuments.firstLine(e.getOriginalMessage()));
    }

    private static String describe(Class<?> type) {
        if (type == null) return "another value";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "a whole number";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "text";
        if (type == Duration.class) return "a duration such as \"30s\"";
        if (List.class.isAssignableFrom(type) || type.isArray()) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord()) return "a mapping of keys to values";
        return "a " + type.getSimpleName();
    }
}
