package dev.pictor.discord;

import dev.pictor.core.text.Languages;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.commands.localization.LocalizationFunction;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptions of one slash command and its options, from the catalog: each is written in English as the
 * command's own description (what Discord shows a client in a language pictor does not ship), and in every Discord
 * locale whose language pictor ships through JDA's {@link LocalizationFunction} ({@code description_localizations}:
 * {@code es-ES} and {@code es-419} read the Spanish file, {@code pt-BR} the Brazilian Portuguese one, and so on).
 * Only descriptions are localized: command, subcommand and option names stay as they are in every language (a
 * member types {@code /imagine} everywhere, as the help texts say), and the choices are model labels, aspect ratios
 * and plan names, which admins write in YAML.
 */
final class CommandTexts implements LocalizationFunction {
    /** Discord's limit for a description, in every language. */
    static final int MAX_DESCRIPTION = 100;

    private final Map<String, Text> descriptions = new HashMap<>();

    /**
     * Records the description of the command, subcommand or option at {@code path} (JDA's localization key without
     * {@code .description}: {@code imagine}, {@code imagine.options.prompt}, {@code pictor.plan.options.member}) and
     * returns it in English.
     */
    String describe(String path, Msg msg, Object... namesAndValues) {
        Text text = Text.of(msg, namesAndValues);
        descriptions.put(path + ".description", text);
        return cut(Messages.render(Languages.ENGLISH, text));
    }

    @Override
    public Map<DiscordLocale, String> apply(String localizationKey) {
        Text text = descriptions.get(localizationKey);
        var out = new EnumMap<DiscordLocale, String>(DiscordLocale.class);
        if (text == null) return out; // a name or a choice: not localized
        for (DiscordLocale d : DiscordLocale.values()) {
            if (d == DiscordLocale.UNKNOWN) continue;
            Optional<Locale> language = Languages.supported(d.getLocale());
            if (language.isEmpty() || language.get().equals(Languages.ENGLISH)) continue;
            out.put(d, cut(Messages.render(language.get(), text)));
        }
        return out;
    }

    static String cut(String s) {
        return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}
