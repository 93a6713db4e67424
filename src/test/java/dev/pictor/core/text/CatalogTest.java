package dev.pictor.core.text;

import com.ibm.icu.text.MessagePattern;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The English catalog and the keys the code uses ({@link Msg}) agree: no key missing, none unused, no placeholder astray. */
class CatalogTest {
    private static final Path MAIN = Path.of("src/main/java");

    private static Properties english() {
        return Messages.file("en").orElseThrow();
    }

    @Test
    void everyKeyTheCodeUsesHasAnEnglishSentence() {
        Set<String> missing = Arrays.stream(Msg.values()).map(Msg::key)
                .filter(k -> english().getProperty(k) == null).collect(Collectors.toCollection(TreeSet::new));

        assertThat(missing).as("keys of Msg without a sentence in messages_en.properties").isEmpty();
    }

    @Test
    void theEnglishFileHasNoKeyTheCodeDoesNotKnow() {
        Set<String> known = Arrays.stream(Msg.values()).map(Msg::key).collect(Collectors.toSet());
        Set<String> unknown = english().stringPropertyNames().stream().filter(k -> !known.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(unknown).as("keys in messages_en.properties that no Msg names").isEmpty();
    }

    @Test
    void everyMessageKeyIsUsedSomewhereInTheCode() throws IOException {
        String code;
        try (Stream<Path> files = Files.walk(MAIN)) {
            code = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("Msg.java"))
                    .map(CatalogTest::read).collect(Collectors.joining("\n"));
        }
        Set<String> unused = Arrays.stream(Msg.values()).map(Msg::name)
                .filter(name -> !code.matches("(?s).*\\b" + name + "\\b.*"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(unused).as("Msg keys no code under src/main uses (their sentences are dead)").isEmpty();
    }

    @Test
    void everySentenceUsesExactlyTheArgumentsItsKeyDeclares() {
        Map<String, String> wrong = new TreeMap<>();
        for (Msg msg : Msg.values()) {
            String pattern = english().getProperty(msg.key());
            if (pattern == null) continue; // reported above
            Set<String> used = arguments(pattern);
            if (!used.equals(msg.args())) wrong.put(msg.key(), "declares " + new TreeSet<>(msg.args()) + ", uses " + new TreeSet<>(used));
        }

        assertThat(wrong).as("sentences whose placeholders differ from their Msg's arguments").isEmpty();
    }

    @Test
    void aTextMustBeGivenEveryArgumentItsSentenceUses_andNoOther() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Text.of(Msg.QUOTA_USED_MEMBER, "images", 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window", "wait");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Text.of(Msg.CHARGE_NONE, "extra", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra");
    }

    /** The names of every argument in an ICU pattern, nested ones (inside plural or select) included. */
    static Set<String> arguments(String pattern) {
        var parsed = new MessagePattern(pattern);
        var names = new HashSet<String>();
        for (int i = 0; i < parsed.countParts(); i++) {
            MessagePattern.Part part = parsed.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_NAME) names.add(parsed.getSubstring(part));
        }
        return names;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
