package dev.pictor.core.text;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The languages pictor ships (one catalog file each, {@code messages/messages_<file tag>.properties}) and how a
 * language tag a platform or an admin gives is read as one of them: by its language alone, so {@code en-GB} and
 * {@code en-US} are English, {@code es-419} and {@code es-ES} Spanish, and {@code pt-BR}, {@code pt} (and any other
 * Portuguese, there being no other) Brazilian Portuguese. A tag of a language pictor does not ship is not supported.
 */
public final class Languages {
    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale SPANISH = Locale.of("es");
    public static final Locale GERMAN = Locale.GERMAN;
    public static final Locale FRENCH = Locale.FRENCH;
    public static final Locale BRAZILIAN_PORTUGUESE = Locale.of("pt", "BR");
    public static final Locale RUSSIAN = Locale.of("ru");
    public static final Locale JAPANESE = Locale.JAPANESE;
    /** Every shipped language, English (which has every key) first. */
    public static final List<Locale> SHIPPED = List.of(ENGLISH, SPANISH, GERMAN, FRENCH, BRAZILIAN_PORTUGUESE, RUSSIAN, JAPANESE);
    /** Longer than any real language tag: such a text is not read. */
    private static final int MAX_TAG = 35;

    private Languages() {
    }

    /**
     * The shipped language {@code tag} names ({@code pt-br}, {@code pt_BR}, {@code es-419}, {@code en}; any case),
     * or empty for null, blank, malformed or a language pictor does not ship.
     */
    public static Optional<Locale> supported(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > MAX_TAG) return Optional.empty();
        String language = Locale.forLanguageTag(tag.strip().replace('_', '-')).getLanguage();
        if (language.isEmpty()) return Optional.empty();
        return SHIPPED.stream().filter(l -> l.getLanguage().equals(language)).findFirst();
    }

    /** The first of {@code tags} that names a shipped language, else English. */
    public static Locale first(String... tags) {
        for (String t : tags) {
            Optional<Locale> l = supported(t);
            if (l.isPresent()) return l.get();
        }
        return ENGLISH;
    }

    /** The tag admins write and pictor stores for a shipped language: {@code en}, {@code pt-BR}. */
    public static String tag(Locale language) {
        return language.toLanguageTag();
    }

    /** The catalog file's suffix for a language: {@code en}, {@code pt_BR}. */
    public static String fileTag(Locale language) {
        return language.getCountry().isEmpty() ? language.getLanguage() : language.getLanguage() + "_" + language.getCountry();
    }

    /** A language's name in itself, as a speaker would pick it from a list: {@code Deutsch}, {@code Português (Brasil)}. */
    public static String nativeName(Locale language) {
        String name = language.getDisplayName(language);
        return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(language) + name.substring(1);
    }

    /** The shipped tags as admins may write them, for messages: {@code en, es, de, fr, pt-BR, ru, ja}. */
    public static String tags() {
        return SHIPPED.stream().map(Languages::tag).collect(Collectors.joining(", "));
    }
}
