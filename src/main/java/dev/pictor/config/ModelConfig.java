package dev.pictor.config;

import dev.pictor.core.ModelSpec;

import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code models.<id>}: a model members may choose. {@code label} is shown to them; {@code aspect-ratios} (the first
 * is the default), {@code max-images}, {@code seed}, {@code max-prompt-chars} and {@code enhance} say what it
 * accepts, so that a request it cannot serve is refused before anything is charged; {@code routes} are tried in
 * the order {@code routing} says: {@code ordered} (as listed, the default) or {@code cheapest} (the lowest price
 * first, unpriced routes last); a route whose breaker is open is skipped either way.
 */
public record ModelConfig(String label, List<String> aspectRatios, Integer maxImages, Boolean seed,
                          Integer maxPromptChars, Boolean enhance, String routing, List<RouteConfig> routes) {
    /** The words {@code routing} takes. */
    public static final List<String> ROUTINGS = List.of("ordered", "cheapest");
    private static final Pattern RATIO = Pattern.compile("[1-9]\\d{0,2}:[1-9]\\d{0,2}");
    public static final int DEFAULT_MAX_PROMPT_CHARS = 1000;
    /** Discord takes 10 attachments per message and Telegram 10 photos per album. */
    public static final int MAX_IMAGES = 10;

    public ModelConfig {
        label = label == null ? null : label.strip();
        aspectRatios = aspectRatios == null ? List.of("1:1") : aspectRatios.stream().map(s -> s == null ? "" : s.strip()).toList();
        maxImages = Values.or(maxImages, 1);
        seed = Values.or(seed, false);
        maxPromptChars = Values.or(maxPromptChars, DEFAULT_MAX_PROMPT_CHARS);
        enhance = Values.or(enhance, false);
        routing = Values.blank(routing) ? "ordered" : routing.strip();
        routes = Values.list(routes);
        var c = Invalid.collector()
                .check(!aspectRatios.isEmpty(), "aspect-ratios", "needs at least one ratio, e.g. [\"1:1\"]")
                .check(maxImages >= 1 && maxImages <= MAX_IMAGES, "max-images", "must be from 1 to " + MAX_IMAGES + ", not " + maxImages)
                .check(maxPromptChars >= 1, "max-prompt-chars", "must be at least 1, not " + maxPromptChars)
                .check(ROUTINGS.contains(routing), "routing", "unknown routing \"" + routing + "\" (known: " + String.join(", ", ROUTINGS) + ")")
                .check(!routes.isEmpty(), "routes", "needs at least one route: - {provider: NAME, model: PROVIDER-MODEL-ID}");
        var seen = new HashSet<String>();
        for (int i = 0; i < aspectRatios.size(); i++) {
            String r = aspectRatios.get(i);
            if (!RATIO.matcher(r).matches()) c.add("aspect-ratios[" + i + "]", "bad ratio \"" + r + "\": write W:H such as \"16:9\"");
            else if (!seen.add(r)) c.add("aspect-ratios[" + i + "]", "\"" + r + "\" is listed twice");
        }
        c.throwIfAny();
    }

    /** {@code routing} for the core. */
    public ModelSpec.Routing routingOrder() {
        return ModelSpec.Routing.valueOf(routing.toUpperCase(Locale.ROOT));
    }
}
