package dev.pictor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** The keys a configuration record takes, as written in YAML, and the keys a document has that none takes. */
final class UnknownKeys {
    private static final PropertyNamingStrategies.NamingBase KEBAB =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

    private UnknownKeys() {
    }

    /** The keys a record takes, as written in YAML. */
    static Set<String> keysOf(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> KEBAB.translate(c.getName()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** "unknown key (known: …)" with the keys the record takes, in the order the reference file lists them. */
    static String message(Class<?> type) {
        if (type == null || !type.isRecord()) return "unknown key";
        var known = new ArrayList<>(keysOf(type.asSubclass(Record.class)));
        if (type == BotProfile.class) known.remove("name");
        return "unknown key (known: " + String.join(", ", known) + ")";
    }

    /**
     * Reports to {@code report} (key path, message) every key the record type does not take, through nested records,
     * lists and maps of them, so that a misspelt key is found even where binding stops at another mistake first.
     */
    static void report(JsonNode node, String path, Type type, BiConsumer<String, String> report) {
        if (node == null) return;
        if (type instanceof Class<?> c && c.isRecord() && node.isObject()) {
            Map<String, RecordComponent> byKey = new LinkedHashMap<>();
            for (RecordComponent rc : c.getRecordComponents()) byKey.put(KEBAB.translate(rc.getName()), rc);
            node.properties().forEach(e -> {
                String at = KeyPaths.join(path, e.getKey());
                RecordComponent rc = byKey.get(e.getKey());
                if (rc == null) report.accept(at, message(c));
                else report(e.getValue(), at, rc.getGenericType(), report);
            });
        } else if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw) && node.isArray()) {
                for (int i = 0; i < node.size(); i++) report(node.get(i), KeyPaths.index(path, i), args[0], report);
            } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
                node.properties().forEach(e -> report(e.getValue(), KeyPaths.join(path, e.getKey()), args[1], report));
            }
        }
    }
}
