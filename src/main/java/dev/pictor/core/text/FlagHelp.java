package dev.pictor.core.text;

import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser.Flag;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The prompt's flags as the help texts list them, from the one list the parser reads ({@link Flag#listed()}): each
 * flag's usage from the parser, its description from the catalog by its key, with the values the catalog of models
 * allows today (the default model's ratios and image count, the model ids).
 */
public final class FlagHelp {
    private FlagHelp() {
    }

    /** One flag in help: the flag (for its usage and example, which the adapter marks up) and what it does. */
    public record Line(Flag flag, String description) {
    }

    public static List<Line> lines(Locale locale, ModelCatalog catalog) {
        ModelSpec def = catalog.defaultModel();
        return Flag.listed().stream().map(f -> new Line(f, Messages.render(locale, switch (f) {
            case ASPECT -> Text.of(f.description(), "aspects", String.join(", ", def.capabilities().aspectRatios()));
            case COUNT -> Text.of(f.description(), "max", def.capabilities().maxImages());
            case MODEL -> Text.of(f.description(), "models", catalog.all().stream()
                    .map(m -> m == def ? Messages.render(locale, Msg.HELP_DEFAULT_MODEL, "model", m.id()) : m.id())
                    .collect(Collectors.joining(", ")));
            default -> Text.of(f.description());
        }))).toList();
    }
}
