package dev.pictor.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pictor.provider.Providers;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code config/pictor.yaml} and {@code bots/*.yaml}: YAML → tree → {@code ${VAR}} substitution → validated
 * records. Every mistake found is collected with its file and key path, and thrown together as one
 * {@link ConfigException}. Values of {@code api-key} and {@code token} never appear in a message.
 */
public final class ConfigLoader {
    private static final Set<String> SECRET_KEYS = Set.of("api-key", "token");
    private static final PropertyNamingStrategies.NamingBase KEBAB =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

    private final Function<String, String> env;
    private final YAMLMapper mapper;

    public ConfigLoader(Function<String, String> env) {
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

    public static ConfigLoader of(Map<String, String> env) {
        return new ConfigLoader(env::get);
    }

    /** Reads {@code configFile} only (no bot profiles), e.g. for {@code imagine}. */
    public LoadedConfig load(Path configFile) {
        return load(configFile, null);
    }

    /** Reads {@code configFile} and every {@code *.yaml} in {@code botsDir} (null: none). */
    public LoadedConfig load(Path configFile, Path botsDir) {
        var errors = new ArrayList<ConfigError>();
        warnings.clear();
        var variables = new LinkedHashMap<String, Map<String, List<String>>>();
        PictorConfig config = readConfig(configFile, errors, variables);
        var bots = new ArrayList<BotProfile>();
        if (botsDir != null) readBots(botsDir, config, bots, errors, variables);
        if (!errors.isEmpty()) throw new ConfigException(inFileOrder(errors));
        return new LoadedConfig(configFile, config, botsDir, bots, variables, inFileOrder(warnings));
    }

    /** What the last {@link #load} kept but doubts (see {@link LoadedConfig#warnings}). */
    private final List<ConfigError> warnings = new ArrayList<>();

    // ---- config/pictor.yaml

    private PictorConfig readConfig(Path file, List<ConfigError> errors, Map<String, Map<String, List<String>>> variables) {
        var doc = read(file, file.toString(), errors, variables);
        if (doc == null) return null;
        ObjectNode root = doc.root;
        doc.unknownKeys(root, "", PictorConfig.class);
        StorageConfig storage = doc.bind(root.get("storage"), "storage", StorageConfig.class);
        HttpConfig http = doc.bind(root.get("http"), "http", HttpConfig.class);
        QuotaConfig quota = doc.bind(root.get("quota"), "quota", QuotaConfig.class);
        FetchConfig fetch = doc.bind(root.get("fetch"), "fetch", FetchConfig.class);
        RetryConfig retry = doc.bind(root.get("retry"), "retry", RetryConfig.class);
        ShutdownConfig shutdown = doc.bind(root.get("shutdown"), "shutdown", ShutdownConfig.class);
        List<String> banned = doc.bind(root.get("banned-terms"), "banned-terms", new TypeReference<List<String>>() {
        });
        String defaultModel = doc.bind(root.get("default-model"), "default-model", String.class);
        Map<String, ProviderConfig> providers = doc.bindEach(root.get("providers"), "providers", ProviderConfig.class);
        Map<String, ModelConfig> models = doc.bindEach(root.get("models"), "models", ModelConfig.class);
        if (providers != null) providers.forEach((name, p) -> doc.checkDialect(name, p));
        if (doc.failed()) {
            // Report the cross-section mistakes too, judged by the names written in the file.
            doc.addAll("", PictorConfig.crossCheck(names(root.get("providers")), routeProviders(root.get("models")),
                    defaultModel));
            if (quota == null && root.path("quota").isMissingNode()) doc.add("quota", PictorConfig.QUOTA_REQUIRED);
            return null;
        }
        try {
            return new PictorConfig(storage, http, providers, models, defaultModel, quota, banned, fetch, retry, shutdown);
        } catch (Invalid e) {
            doc.addAll("", e.problems());
            return null;
        }
    }

    // ---- bots/*.yaml

    private void readBots(Path dir, PictorConfig config, List<BotProfile> bots, List<ConfigError> errors,
                          Map<String, Map<String, List<String>>> variables) {
        if (!Files.isDirectory(dir)) {
            errors.add(new ConfigError(dir.toString(), "", "bots directory not found (`pictor init` writes the commented reference files)"));
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            errors.add(new ConfigError(dir.toString(), "", "cannot list: " + e.getMessage()));
            return;
        }
        for (Path file : files) {
            String display = dir.resolve(file.getFileName()).toString();
            if (file.getFileName().toString().endsWith(".yml")) {
                errors.add(new ConfigError(display, "", "bot profiles are read from *.yaml files: rename it to end in .yaml"));
                continue;
            }
            String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
            var doc = read(file, display, errors, variables);
            if (doc == null) continue;
            if (doc.root.has("name")) {
                doc.add("name", "not a key: a profile's name is its file name (" + name + ")");
                continue;
            }
            doc.root.set("name", TextNode.valueOf(name));
            doc.unknownKeys(doc.root, "", BotProfile.class);
            BotProfile bot = doc.bind(doc.root, "", BotProfile.class);
            if (bot == null) continue;
            if (config != null) doc.addAll("", bot.checkPlans(config.quota()));
            if (!doc.failed()) {
                bots.add(bot);
                bot.doubts().forEach(d -> warnings.add(new ConfigError(display, d.key(), d.message())));
            }
        }
    }

    // ---- one file

    private Doc read(Path file, String display, List<ConfigError> errors, Map<String, Map<String, List<String>>> variables) {
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
        var doc = new Doc(display, root, errors, secrets(root));
        doc.addAll("", placeholders.problems());
        placeholders.warnings().forEach(w -> warnings.add(new ConfigError(display, w.key(), w.message())));
        return doc;
    }

    /** The files in the order they were read, each file's errors by key path. */
    private static List<ConfigError> inFileOrder(List<ConfigError> errors) {
        var files = errors.stream().map(ConfigError::file).distinct().toList();
        return errors.stream().sorted(java.util.Comparator.comparingInt((ConfigError e) -> files.indexOf(e.file()))
                .thenComparing(ConfigError::path)).toList();
    }

    /** The values of every api-key and token in the file, to be masked in messages. */
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

    /** Model id → the provider named by each of its routes, as written (null where none is). */
    private static Map<String, List<String>> routeProviders(JsonNode models) {
        var out = new LinkedHashMap<String, List<String>>();
        if (models == null || !models.isObject()) return out;
        models.properties().forEach(e -> {
            var providers = new ArrayList<String>();
            JsonNode routes = e.getValue().path("routes");
            if (routes.isArray()) routes.forEach(r -> providers.add(r.path("provider").isTextual() ? r.path("provider").textValue().strip() : null));
            out.put(e.getKey(), providers);
        });
        return out;
    }

    private static Set<String> names(JsonNode node) {
        var out = new LinkedHashSet<String>();
        if (node != null && node.isObject()) node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The keys a record takes, as written in YAML. */
    static Set<String> keysOf(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> KEBAB.translate(c.getName()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** "unknown key (known: …)" with the keys the record takes, in the order the reference file lists them. */
    private static String unknownKey(Class<?> type) {
        if (type == null || !type.isRecord()) return "unknown key";
        var known = new ArrayList<>(keysOf(type.asSubclass(Record.class)));
        if (type == BotProfile.class) known.remove("name");
        return "unknown key (known: " + String.join(", ", known) + ")";
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

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** One file being read: binds its sections and collects its errors, masking secrets. */
    private final class Doc {
        final String file;
        final ObjectNode root;
        final List<ConfigError> errors;
        final Set<String> secrets;
        private final int before;

        Doc(String file, ObjectNode root, List<ConfigError> errors, Set<String> secrets) {
            this.file = file;
            this.root = root;
            this.errors = errors;
            this.secrets = secrets;
            this.before = errors.size();
        }

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

        /**
         * Reports every key the record type does not take, through nested records, lists and maps of them, so
         * that a misspelt key is found even where binding stops at another mistake first.
         */
        void unknownKeys(JsonNode node, String path, Type type) {
            if (node == null) return;
            if (type instanceof Class<?> c && c.isRecord() && node.isObject()) {
                Set<String> known = keysOf(c.asSubclass(Record.class));
                Map<String, RecordComponent> byKey = new LinkedHashMap<>();
                for (RecordComponent rc : c.getRecordComponents()) byKey.put(KEBAB.translate(rc.getName()), rc);
                node.properties().forEach(e -> {
                    String at = KeyPaths.join(path, e.getKey());
                    RecordComponent rc = byKey.get(e.getKey());
                    if (rc == null) add(at, unknownKey(c));
                    else unknownKeys(e.getValue(), at, rc.getGenericType());
                });
            } else if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
                Type[] args = pt.getActualTypeArguments();
                if (List.class.isAssignableFrom(raw) && node.isArray()) {
                    for (int i = 0; i < node.size(); i++) unknownKeys(node.get(i), KeyPaths.index(path, i), args[0]);
                } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
                    node.properties().forEach(e -> unknownKeys(e.getValue(), KeyPaths.join(path, e.getKey()), args[1]));
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
                add(path, unknownKey(u.getReferringClass()));
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
            add(path, firstLine(e.getOriginalMessage()));
        }
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
