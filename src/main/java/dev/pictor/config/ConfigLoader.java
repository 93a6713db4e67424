package dev.pictor.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads {@code config/pictor.yaml} and {@code bots/*.yaml}: YAML → tree → {@code ${VAR}} substitution → validated
 * records. Every mistake found is collected with its file and key path, and thrown together as one
 * {@link ConfigException}. Values of {@code api-key}, {@code token} and {@code webhook-secret} never appear in a message.
 *
 * <p>The pieces: {@link ConfigDocuments} reads a file, {@link ConfigDoc} binds its sections and words the binding
 * errors, {@link UnknownKeys} finds keys no record takes; this class puts the files together.
 */
public final class ConfigLoader {
    private final ConfigDocuments documents;

    public ConfigLoader(Function<String, String> env) {
        this.documents = new ConfigDocuments(env);
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
        var doc = documents.read(file, file.toString(), errors, warnings, variables);
        if (doc == null) return null;
        ObjectNode root = doc.root;
        doc.unknownKeys(root, "", PictorConfig.class);
        StorageConfig storage = doc.bind(root.get("storage"), "storage", StorageConfig.class);
        HttpConfig http = doc.bind(root.get("http"), "http", HttpConfig.class);
        QuotaConfig quota = doc.bind(root.get("quota"), "quota", QuotaConfig.class);
        FetchConfig fetch = doc.bind(root.get("fetch"), "fetch", FetchConfig.class);
        RetryConfig retry = doc.bind(root.get("retry"), "retry", RetryConfig.class);
        RoutingConfig routing = doc.bind(root.get("routing"), "routing", RoutingConfig.class);
        String currency = doc.bind(root.get("currency"), "currency", String.class);
        ShutdownConfig shutdown = doc.bind(root.get("shutdown"), "shutdown", ShutdownConfig.class);
        SpendCapsConfig spendCaps = doc.bind(root.get("spend-caps"), "spend-caps", SpendCapsConfig.class);
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
            return new PictorConfig(storage, http, currency, providers, models, defaultModel, quota, banned, fetch, retry,
                    routing, shutdown, spendCaps);
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
            var doc = documents.read(file, display, errors, warnings, variables);
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

    /** The files in the order they were read, each file's errors by key path. */
    private static List<ConfigError> inFileOrder(List<ConfigError> errors) {
        var files = errors.stream().map(ConfigError::file).distinct().toList();
        return errors.stream().sorted(Comparator.comparingInt((ConfigError e) -> files.indexOf(e.file()))
                .thenComparing(ConfigError::path)).toList();
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

}
