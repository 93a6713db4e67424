package dev.pictor.core.text;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place a sentence is written: {@code (Locale, key, args)} → text, from the catalog files
 * {@code messages/messages_<language>.properties} on the class path (ICU MessageFormat patterns, so that plurals,
 * selects and numbers follow each language's CLDR rules). A language is a file of the same keys: a key it lacks falls
 * back to the region-less language, then to English ({@code messages_en.properties}, which has every key of {@link Msg}).
 * Plain text only: bold, code spans and mentions are the adapters' markup.
 */
public final class Messages {
    public static final Locale ENGLISH = Locale.ENGLISH;
    private static final String FOLDER = "/messages/messages_";
    private static final Map<String, Optional<Properties>> FILES = new ConcurrentHashMap<>();
    /**
     * Each sentence's pattern, parsed once per language it is rendered in: parsing a pattern and looking up its
     * language's plural rules and number formats cost more than the formatting itself, and every job renders several
     * (its caption, progress text and button labels). A format is used by one thread at a time (ICU's are not
     * thread-safe). Bounded: past {@link #MAX_FORMATS} (languages × keys), a pattern is parsed for each use as before.
     */
    private static final Map<FormatKey, MessageFormat> FORMATS = new ConcurrentHashMap<>();
    static final int MAX_FORMATS = 4096;

    private Messages() {
    }

    public static String render(Locale locale, Msg msg, Object... namesAndValues) {
        return render(locale, Text.of(msg, namesAndValues));
    }

    public static String render(Locale locale, Text text) {
        Locale in = locale == null ? ENGLISH : locale;
        var args = new HashMap<String, Object>();
        text.args().forEach((name, value) -> args.put(name, value(in, value)));
        MessageFormat format = format(in, text.msg());
        synchronized (format) {
            return format.format(args);
        }
    }

    private record FormatKey(Locale locale, Msg msg) {
    }

    /** The parsed pattern of {@code msg} in {@code locale} (see {@link #FORMATS}). */
    private static MessageFormat format(Locale locale, Msg msg) {
        var key = new FormatKey(locale, msg);
        MessageFormat cached = FORMATS.get(key);
        if (cached != null) return cached;
        Pattern pattern = pattern(locale, msg);
        var format = new MessageFormat(pattern.text(), ULocale.forLocale(pattern.locale()));
        if (FORMATS.size() >= MAX_FORMATS) return format;
        MessageFormat raced = FORMATS.putIfAbsent(key, format);
        return raced != null ? raced : format;
    }

    /** How many parsed patterns are kept (for tests). */
    static int formatsKept() {
        return FORMATS.size();
    }

    /**
     * A wait as members read it, by the catalog's unit keys: {@code "45 s"}, {@code "3 min 20 s"}, {@code "3 h 12 min"},
     * {@code "2 d 4 h"} in English; rounded up to whole seconds, and past an hour to whole minutes.
     */
    public static String duration(Locale locale, Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        long days = seconds / 86_400, hours = seconds % 86_400 / 3_600, minutes = seconds % 3_600 / 60, secs = seconds % 60;
        if (days > 0) return pair(locale, unit(locale, Msg.UNIT_DAYS, days), hours, Msg.UNIT_HOURS);
        if (hours > 0) {
            long mins = minutes + (secs > 0 ? 1 : 0);
            if (mins == 60) return unit(locale, Msg.UNIT_HOURS, hours + 1);
            return pair(locale, unit(locale, Msg.UNIT_HOURS, hours), mins, Msg.UNIT_MINUTES);
        }
        if (minutes >= 10) return unit(locale, Msg.UNIT_MINUTES, minutes + (secs > 0 ? 1 : 0));
        if (minutes > 0) return pair(locale, unit(locale, Msg.UNIT_MINUTES, minutes), secs, Msg.UNIT_SECONDS);
        return unit(locale, Msg.UNIT_SECONDS, secs);
    }

    private static String unit(Locale locale, Msg unit, long n) {
        return render(locale, unit, "n", n);
    }

    private static String pair(Locale locale, String big, long small, Msg smallUnit) {
        if (small == 0) return big;
        return render(locale, Msg.UNIT_PAIR, "big", big, "small", unit(locale, smallUnit, small));
    }

    private static Object value(Locale locale, Object value) {
        return switch (value) {
            case Text nested -> render(locale, nested);
            case Duration d -> duration(locale, d);
            case Instant i -> Date.from(i);
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case Boolean b -> b.toString();
            default -> value;
        };
    }

    /** A sentence's pattern and the language it is written in, whose plural rules and number format it follows. */
    private record Pattern(String text, Locale locale) {
    }

    /**
     * The pattern for {@code msg} in {@code locale}: the language file with region, without, then English. A sentence
     * read from the English file is formatted as English (an English "one" is not a Russian "one").
     */
    private static Pattern pattern(Locale locale, Msg msg) {
        for (String tag : chain(locale)) {
            Optional<Properties> file = file(tag);
            if (file.isPresent()) {
                String pattern = file.get().getProperty(msg.key());
                if (pattern != null) return new Pattern(pattern, tag.equals(ENGLISH.getLanguage()) ? ENGLISH : locale);
            }
        }
        throw new IllegalStateException("the English catalog has no key " + msg.key());
    }

    private static List<String> chain(Locale locale) {
        var tags = new ArrayList<String>(3);
        if (!locale.getLanguage().isEmpty()) {
            if (!locale.getCountry().isEmpty()) tags.add(locale.getLanguage() + "_" + locale.getCountry());
            tags.add(locale.getLanguage());
        }
        if (!tags.contains(ENGLISH.getLanguage())) tags.add(ENGLISH.getLanguage());
        return tags;
    }

    /** One language's file, read once: its keys and patterns, or empty when there is no such file. */
    static Optional<Properties> file(String tag) {
        return FILES.computeIfAbsent(tag, t -> {
            try (InputStream in = Messages.class.getResourceAsStream(FOLDER + t + ".properties")) {
                if (in == null) return Optional.empty();
                var p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                return Optional.of(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the catalog for " + t, e);
            }
        });
    }
}
