package dev.pictor.core.text;

import com.ibm.icu.text.MessageFormat;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog check for every shipped language: each has its file, the file has every key of English and no other,
 * every sentence parses as ICU MessageFormat, and uses exactly the placeholders of its English sentence. A failure
 * lists the keys to translate (or fix) per language.
 */
class ShippedLanguagesTest {
    private static Properties file(Locale language) {
        return Messages.file(Languages.fileTag(language)).orElseThrow(
                () -> new AssertionError("no messages_" + Languages.fileTag(language) + ".properties"));
    }

    private static Set<String> keys() {
        return Arrays.stream(Msg.values()).map(Msg::key).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyShippedLanguageHasEveryKey() {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (Locale language : Languages.SHIPPED) {
            Properties p = file(language);
            Set<String> lacking = keys().stream().filter(k -> p.getProperty(k) == null).collect(Collectors.toCollection(TreeSet::new));
            if (!lacking.isEmpty()) missing.put(Languages.tag(language), lacking);
        }

        assertThat(missing).as("keys to translate, by language (they are read in English until then)").isEmpty();
    }

    @Test
    void noShippedLanguageHasAKeyTheCodeDoesNotKnow() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Locale language : Languages.SHIPPED) {
            Set<String> extra = file(language).stringPropertyNames().stream().filter(k -> !keys().contains(k))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!extra.isEmpty()) unknown.put(Languages.tag(language), extra);
        }

        assertThat(unknown).as("keys no Msg names, by language").isEmpty();
    }

    @Test
    void everySentenceParsesAndHasExactlyTheEnglishPlaceholders() {
        Properties english = file(Languages.ENGLISH);
        Map<String, String> wrong = new TreeMap<>();
        for (Locale language : Languages.SHIPPED) {
            Properties p = file(language);
            for (String key : p.stringPropertyNames()) {
                String pattern = p.getProperty(key);
                String where = Languages.tag(language) + " " + key;
                try {
                    new MessageFormat(pattern, language);
                } catch (IllegalArgumentException e) {
                    wrong.put(where, "does not parse: " + e.getMessage());
                    continue;
                }
                String en = english.getProperty(key);
                if (en == null) continue; // reported above
                Set<String> want = new TreeSet<>(CatalogTest.arguments(en)), got = new TreeSet<>(CatalogTest.arguments(pattern));
                if (!want.equals(got)) wrong.put(where, "English has " + want + ", this has " + got);
            }
        }

        assertThat(wrong).as("sentences that do not parse or whose placeholders differ from English").isEmpty();
    }
}
