package dev.pictor.cli;

import dev.pictor.config.BotProfile;
import dev.pictor.config.LoadedConfig;
import dev.pictor.config.ModelConfig;
import dev.pictor.config.PictorConfig;
import dev.pictor.config.ProviderConfig;
import dev.pictor.config.QuotaLimit;
import dev.pictor.config.RouteConfig;
import dev.pictor.config.Units;
import dev.pictor.ops.Secrets;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code pictor check} prints about a valid configuration: what {@code run} would start (bots, providers),
 * the models with their routes, the plans, and warnings (a model no enabled provider can serve). Secrets are shown
 * only as "set" or "not set", with the variable they come from.
 */
final class CheckReport {
    private final LoadedConfig loaded;
    private final PictorConfig config;
    private final String configFile;

    CheckReport(LoadedConfig loaded) {
        this.loaded = loaded;
        this.config = loaded.config();
        this.configFile = loaded.configFile().toString();
    }

    /** Models that no enabled provider can serve: requests for them would be refused. */
    List<String> warnings() {
        var out = new ArrayList<String>();
        loaded.warnings().forEach(w -> out.add(w.toString()));
        var servable = servable();
        config.models().forEach((id, m) -> {
            if (!servable.contains(id)) {
                out.add("model " + id + ": none of its providers (" + m.routes().stream().map(RouteConfig::provider).distinct()
                        .collect(Collectors.joining(", ")) + ") has an api-key, so requests for it will be refused");
            }
        });
        if (!servable.isEmpty() && !servable.contains(config.defaultModel())) {
            out.add("default-model " + config.defaultModel() + " has no enabled provider, so every request that names no model"
                    + " will be refused; with the keys set now these work: " + String.join(", ", servable)
                    + " (set default-model" + variableNote(configFile, "default-model") + " to one of them)");
        }
        return out;
    }

    /** The models at least one enabled provider serves, in catalog order. */
    List<String> servable() {
        return config.models().entrySet().stream()
                .filter(e -> e.getValue().routes().stream().anyMatch(r -> config.providers().get(r.provider()).enabled()))
                .map(java.util.Map.Entry::getKey).toList();
    }

    /**
     * Why {@code model} cannot be served and what would work, for the operator at the terminal: the disabled
     * providers with the variables of their keys, and the models the keys set now do serve. Null when it can be served.
     */
    String unservable(String model) {
        var m = config.models().get(model);
        if (m == null || servable().contains(model)) return null;
        String providers = m.routes().stream().map(RouteConfig::provider).distinct()
                .map(p -> p + variableNote(configFile, "providers." + p + ".api-key", "set "))
                .collect(Collectors.joining(", "));
        var servable = servable();
        String instead = servable.isEmpty()
                ? "no provider is enabled: set the api-key of one (`pictor check` shows which variable each reads)"
                : "with the keys set now these work: " + String.join(", ", servable) + " (e.g. --model " + servable.getFirst()
                + ", or set default-model" + variableNote(configFile, "default-model") + ")";
        return model + " goes only through " + providers + ", disabled for want of an api-key; " + instead + ".";
    }

    private String variableNote(String file, String path) {
        return variableNote(file, path, "");
    }

    private String variableNote(String file, String path, String verb) {
        var vars = loaded.variablesAt(file, path);
        return vars.isEmpty() ? "" : " (" + verb + String.join(", ", vars) + ")";
    }

    void print(PrintWriter out) {
        out.println("configuration " + configFile + (loaded.botsDir() == null ? "" : " and bot profiles in " + loaded.botsDir()) + ": OK");
        out.println();
        out.println("storage   " + config.storage().shownUrl());
        out.println("http      port " + config.http().port() + " (/healthz, /metrics)");

        out.println();
        var providers = config.providers();
        out.println("providers (" + config.enabledProviders().size() + " of " + providers.size() + " enabled)");
        int w = width(providers.keySet());
        int uw = width(providers.values().stream().map(ProviderConfig::baseUrl).toList());
        providers.forEach((name, p) -> out.println("  " + pad(name, w) + "  " + pad(p.dialect(), 7) + "  " + pad(p.baseUrl(), uw)
                + "  api-key " + secretState(p.enabled(), configFile, "providers." + name + ".api-key")
                + (p.enabled() ? " → enabled" : " → disabled")
                + "  (timeout " + Units.format(p.timeout()) + ", max-concurrent " + p.maxConcurrent()
                + (p.rate() == null ? "" : ", rate " + p.rate() + " for the cluster, waits up to " + Units.format(p.rateWait()))
                + (p.pricePerImage() == null ? "" : ", price-per-image " + money(p.pricePerImage()))
                + (p.creditPrice() == null ? "" : ", credit-price " + money(p.creditPrice()) + " per credit") + ")"));

        out.println();
        out.println("models (default: " + config.defaultModel() + "; prices in " + config.currency() + " per image)");
        int mw = width(config.models().keySet());
        config.models().forEach((id, m) -> {
            out.println("  " + pad(id, mw) + "  " + m.label() + " — " + capabilities(m)
                    + ("ordered".equals(m.routing()) ? "" : " · routing " + m.routing()));
            for (int i = 0; i < m.routes().size(); i++) {
                RouteConfig r = m.routes().get(i);
                boolean on = providers.get(r.provider()).enabled();
                Double price = config.price(r);
                out.println("  " + pad("", mw) + "    " + (i + 1) + ". " + r.provider() + " " + r.model()
                        + "  " + (price == null ? "price unknown" : money(price) + " " + config.currency())
                        + (on ? "" : "  (provider disabled)"));
            }
        });

        out.println();
        var breaker = config.routing().breaker();
        out.println("quota plans (default: " + config.quota().defaultPlan() + ")");
        int pw = width(config.quota().plans().keySet());
        config.quota().plans().forEach((name, limits) -> out.println("  " + pad(name, pw) + "  " + limits(limits)));
        out.println("banned terms: " + config.bannedTerms().size()
                + " · image downloads: up to " + size(config.fetch().maxBytes()) + ", private hosts allowed: "
                + (config.fetch().allowPrivate().isEmpty() ? "none" : String.join(", ", config.fetch().allowPrivate()))
                + " · retry: " + config.retry().attempts() + " attempt(s) per route, backoff "
                + Units.format(config.retry().backoff()) + " up to " + Units.format(config.retry().maxBackoff())
                + " · route breaker: open at " + breaker.failureRate() + "% of the last " + breaker.window()
                + " calls (at least " + breaker.minimumCalls() + ")"
                + (breaker.failingJobs() > 0 ? " or after " + breaker.failingJobs() + " failing jobs in a row" : "")
                + ", cool-off " + Units.format(breaker.coolOff())
                + " · shutdown grace: " + Units.format(config.shutdown().grace()));

        if (loaded.botsDir() != null) {
            out.println();
            var bots = loaded.bots();
            out.println("bots (" + bots.stream().filter(BotProfile::enabled).count() + " of " + bots.size() + " would start)");
            if (bots.isEmpty()) out.println("  no profiles in " + loaded.botsDir());
            int bw = width(bots.stream().map(BotProfile::name).toList());
            for (BotProfile b : bots) {
                String file = loaded.fileOf(b);
                out.println("  " + pad(b.name(), bw) + "  " + pad(b.platform().id(), 8) + "  token "
                        + secretState(b.enabled(), file, "token") + (b.enabled() ? " → would start" : " → skipped")
                        + "  (api " + b.apiUrl() + (b.gatewayUrl() == null ? "" : ", gateway " + b.gatewayUrl())
                        + (b.usesWebhook() ? ", webhook " + b.webhookUrl() + " → path " + b.webhookPath() + ", secret "
                        + secretState(b.webhookSecret() != null, file, "webhook-secret") : "") + ")");
            }
        }

        var warnings = warnings();
        if (!warnings.isEmpty()) {
            out.println();
            warnings.forEach(wn -> out.println("warning: " + wn));
        }
        out.println();
        out.println(summary());
        out.flush();
    }

    /** One line: what {@code run} would start. */
    String summary() {
        var enabledBots = loaded.bots().stream().filter(BotProfile::enabled).map(BotProfile::name).toList();
        String bots = loaded.botsDir() == null ? "" : (enabledBots.isEmpty() ? "no bots" : "bots " + String.join(", ", enabledBots)) + "; ";
        var enabled = config.enabledProviders().keySet();
        return "run would start: " + bots + (enabled.isEmpty() ? "no providers" : "providers " + String.join(", ", enabled))
                + " (" + enabled.size() + " of " + config.providers().size() + " enabled).";
    }

    private String secretState(boolean set, String file, String path) {
        var vars = loaded.variablesAt(file, path);
        String from = vars.isEmpty() ? "" : " (" + String.join(", ", vars) + ")";
        return (set ? "set" : "not set") + from;
    }

    private static String capabilities(ModelConfig m) {
        return String.join(" ", m.aspectRatios())
                + " · " + (m.maxImages() == 1 ? "1 image" : "1–" + m.maxImages() + " images")
                + (m.seed() ? " · seed" : "") + (m.enhance() ? " · enhance" : "")
                + " · prompt ≤ " + m.maxPromptChars() + " chars";
    }

    private static String limits(List<QuotaLimit> limits) {
        return limits.stream().map(QuotaLimit::toString).collect(Collectors.joining(", "));
    }

    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "GB";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "MB";
        if (bytes % (1L << 10) == 0) return (bytes >> 10) + "KB";
        return bytes + " bytes";
    }

    private static int width(java.util.Collection<String> names) {
        return names.stream().mapToInt(String::length).max().orElse(0);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** A price as written in the configuration, without a float's tail: 0.04, 1.5, 0.000125. */
    static String money(double amount) {
        return java.math.BigDecimal.valueOf(amount).stripTrailingZeros().toPlainString();
    }
}
