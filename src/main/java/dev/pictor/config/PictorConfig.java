package dev.pictor.config;

import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code config/pictor.yaml}: storage, HTTP endpoints, the currency prices are in ({@code currency}, default
 * {@code USD}), providers ({@code providers}), the model catalog, quota plans, banned terms, image download limits,
 * retries, the routes' circuit breakers ({@code routing}), the shutdown grace and the daily spend caps
 * ({@code spend-caps}). The shipped file documents every
 * key and its default.
 */
public record PictorConfig(StorageConfig storage, HttpConfig http, String currency, Map<String, ProviderConfig> providers,
                           Map<String, ModelConfig> models, String defaultModel, QuotaConfig quota,
                           List<String> bannedTerms, FetchConfig fetch, RetryConfig retry, RoutingConfig routing,
                           ShutdownConfig shutdown, SpendCapsConfig spendCaps) {
    public static final String DEFAULT_CURRENCY = "USD";
    static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    static final String QUOTA_REQUIRED = "is required, e.g. quota: {plans: {free: [\"3/1m\", \"25/1d\"]}, default-plan: free}";
    static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public PictorConfig {
        storage = Values.or(storage, StorageConfig.DEFAULT);
        http = Values.or(http, HttpConfig.DEFAULT);
        currency = Values.blank(currency) ? DEFAULT_CURRENCY : currency.strip().toUpperCase(Locale.ROOT);
        providers = Values.ordered(providers);
        models = Values.ordered(models);
        defaultModel = Values.blank(defaultModel) ? null : defaultModel.strip();
        bannedTerms = Values.list(bannedTerms).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        fetch = Values.or(fetch, FetchConfig.DEFAULT);
        retry = Values.or(retry, RetryConfig.DEFAULT);
        routing = Values.or(routing, RoutingConfig.DEFAULT);
        shutdown = Values.or(shutdown, ShutdownConfig.DEFAULT);
        spendCaps = Values.or(spendCaps, SpendCapsConfig.NONE);
        var routeProviders = new LinkedHashMap<String, List<String>>();
        models.forEach((id, m) -> routeProviders.put(id, m.routes().stream().map(RouteConfig::provider).toList()));
        var problems = new ArrayList<>(crossCheck(providers.keySet(), routeProviders, defaultModel));
        if (quota == null) problems.add(new Invalid.Problem("quota", QUOTA_REQUIRED));
        if (!CURRENCY.matcher(currency).matches()) {
            problems.add(new Invalid.Problem("currency", "a currency is its three-letter ISO 4217 code such as USD or EUR, not \"" + currency + "\""));
        }
        if (!problems.isEmpty()) throw new Invalid(problems);
        if (defaultModel == null) defaultModel = models.keySet().iterator().next();
        else defaultModel = canonical(defaultModel, models.keySet());
    }

    /**
     * The checks that span sections: names, routes naming known providers, the default model. The loader also runs
     * them when a section failed to bind, so that every mistake is reported in one go: the names are then those
     * written in the file.
     *
     * @param routeProviders model id → the provider each of its routes names (null elements are skipped)
     */
    static List<Invalid.Problem> crossCheck(Collection<String> providerNames, Map<String, List<String>> routeProviders,
                                            String defaultModel) {
        var p = new ArrayList<Invalid.Problem>();
        Collection<String> modelIds = routeProviders.keySet();
        if (providerNames.isEmpty()) p.add(new Invalid.Problem("providers", "at least one provider is required"));
        for (String name : providerNames) {
            if (!PROVIDER_NAME.matcher(name).matches()) {
                p.add(new Invalid.Problem("providers." + name, "a provider name is lower-case letters, digits, - and _"));
            }
        }
        if (modelIds.isEmpty()) p.add(new Invalid.Problem("models", "at least one model is required"));
        var seen = new HashMap<String, String>();
        for (String id : modelIds) {
            if (!MODEL_ID.matcher(id).matches()) {
                p.add(new Invalid.Problem("models." + id, "a model id is letters, digits, '.', - and _ (members type it)"));
            }
            String other = seen.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
            if (other != null) p.add(new Invalid.Problem("models." + id, "is the same id as " + other + " (ids ignore case)"));
        }
        String known = String.join(", ", providerNames);
        for (var e : routeProviders.entrySet()) {
            List<String> routes = e.getValue();
            for (int i = 0; i < routes.size(); i++) {
                String provider = routes.get(i);
                if (provider != null && !provider.isBlank() && !providerNames.contains(provider)) {
                    p.add(new Invalid.Problem("models." + e.getKey() + ".routes[" + i + "].provider",
                            "unknown provider \"" + provider + "\" (known: " + (known.isEmpty() ? "none" : known) + ")"));
                }
            }
        }
        if (defaultModel != null && !modelIds.isEmpty() && canonical(defaultModel, modelIds) == null) {
            p.add(new Invalid.Problem("default-model", "unknown model \"" + defaultModel + "\" (known: " + String.join(", ", modelIds) + ")"));
        }
        return p;
    }

    private static String canonical(String id, Collection<String> ids) {
        for (String known : ids) if (known.equalsIgnoreCase(id)) return known;
        return null;
    }

    /** The providers whose key is set. */
    public Map<String, ProviderConfig> enabledProviders() {
        var out = new java.util.LinkedHashMap<String, ProviderConfig>();
        providers.forEach((name, p) -> {
            if (p.enabled()) out.put(name, p);
        });
        return out;
    }

    /** What one image costs on route {@code r}: its own {@code price}, else its provider's {@code price-per-image}. */
    public Double price(RouteConfig r) {
        if (r.price() != null) return r.price();
        ProviderConfig p = providers.get(r.provider());
        return p == null ? null : p.pricePerImage();
    }

    /** The model catalog for the core, in configuration order. */
    public ModelCatalog catalog() {
        var specs = new ArrayList<ModelSpec>();
        models.forEach((id, m) -> specs.add(new ModelSpec(id, m.label(),
                new ModelCapabilities(m.aspectRatios(), m.maxImages(), m.seed(), m.maxPromptChars(), m.enhance()),
                m.routes().stream().map(r -> new Route(r.provider(), r.model(), price(r))).toList(), m.routingOrder())));
        return new ModelCatalog(specs, defaultModel);
    }
}
