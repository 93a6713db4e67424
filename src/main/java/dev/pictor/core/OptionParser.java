package dev.pictor.core;

import dev.pictor.core.text.Msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits what a member typed into the prompt and its {@code --flags}. One parser serves every adapter.
 *
 * <p>Flags ({@link Flag}, the one list the help texts derive from): {@code --ar W:H} (or {@code --aspect}),
 * {@code --n N} (or {@code --count}), {@code --seed N}, {@code --model ID}, {@code --no-enhance} (and
 * {@code --enhance}). {@code --flag=value} works too. Phones turn
 * "--" into "—" or "–"; both are accepted. Every mistake comes back as a {@link Checked.Refused} with a sentence
 * that says which values are allowed; no input makes it throw.
 */
public final class OptionParser {
    public static final long MAX_SEED = 4_294_967_295L;
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern RATIO = Pattern.compile("(\\d{1,3})\\s*[:x×/]\\s*(\\d{1,3})");

    /**
     * The flags a prompt may carry: the word and its aliases, the shape of its value ({@code W:H}; null for a flag
     * that takes none), an example value, the catalog key that describes it to members, and whether help lists it.
     */
    public enum Flag {
        ASPECT("ar", List.of("aspect"), "W:H", "16:9", Msg.FLAG_ASPECT, true),
        COUNT("n", List.of("count"), "N", "2", Msg.FLAG_COUNT, true),
        SEED("seed", List.of(), "N", "42", Msg.FLAG_SEED, true),
        MODEL("model", List.of(), "ID", "imagen-4", Msg.FLAG_MODEL, true),
        NO_ENHANCE("no-enhance", List.of("noenhance"), null, null, Msg.FLAG_NO_ENHANCE, true),
        /** The default wherever a model enhances; accepted, not advertised. */
        ENHANCE("enhance", List.of(), null, null, null, false);

        private final String word;
        private final List<String> aliases;
        private final String shape;
        private final String exampleValue;
        private final Msg description;
        private final boolean listed;

        Flag(String word, List<String> aliases, String shape, String exampleValue, Msg description, boolean listed) {
            this.word = word;
            this.aliases = aliases;
            this.shape = shape;
            this.exampleValue = exampleValue;
            this.description = description;
            this.listed = listed;
        }

        /** The flag as written without dashes: {@code ar}. */
        public String word() {
            return word;
        }

        public boolean takesValue() {
            return shape != null;
        }

        /** {@code --ar W:H}, {@code --no-enhance}. */
        public String usage() {
            return "--" + word + (shape == null ? "" : " " + shape);
        }

        /** {@code --ar 16:9}, {@code --no-enhance}. */
        public String example() {
            return "--" + word + (exampleValue == null ? "" : " " + exampleValue);
        }

        /** The catalog key that says what the flag does; null for a flag help does not list. */
        public Msg description() {
            return description;
        }

        /** The flags help lists, in order. */
        public static List<Flag> listed() {
            return Arrays.stream(values()).filter(f -> f.listed).toList();
        }

        /** The flag {@code name} (lower case, no dashes) names, by its word or an alias. */
        static Optional<Flag> named(String name) {
            return Arrays.stream(values()).filter(f -> f.word.equals(name) || f.aliases.contains(name)).findFirst();
        }
    }

    /** {@code --ar W:H, --n N, --seed N, --model ID, --no-enhance}: every listed flag's usage. */
    public static String usages() {
        return Flag.listed().stream().map(Flag::usage).collect(Collectors.joining(", "));
    }

    /** {@code --ar 16:9, --n 2, --seed 42, --model imagen-4, --no-enhance}: every listed flag by example. */
    public static String examples() {
        return Flag.listed().stream().map(Flag::example).collect(Collectors.joining(", "));
    }

    public Checked<PromptCommand> parse(String text) {
        if (text == null) text = "";
        List<String> words = tokens(text);
        var prompt = new ArrayList<String>();
        String model = null, aspect = null;
        Integer count = null;
        Long seed = null;
        Boolean enhance = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String flag = flagName(word);
            if (flag == null) {
                prompt.add(word);
                continue;
            }
            String value = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            flag = flag.toLowerCase(Locale.ROOT);
            Optional<Flag> known = Flag.named(flag);
            if (known.isEmpty()) {
                return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_UNKNOWN, "option", shown(word), "flags", usages());
            }
            Flag f = known.get();
            if (f.takesValue() && value == null) {
                if (i + 1 >= words.size() || flagName(words.get(i + 1)) != null) {
                    return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_NEEDS_VALUE, "flag", flag, "example", f.example());
                }
                value = words.get(++i);
            } else if (!f.takesValue() && value != null) {
                return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_NO_VALUE, "flag", flag);
            }
            switch (f) {
                case ASPECT -> {
                    var m = RATIO.matcher(value.trim());
                    if (!m.matches()) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_ASPECT, "value", shown(value));
                    }
                    aspect = Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
                }
                case COUNT -> {
                    Long n = number(value);
                    if (n == null || n < 1 || n > 100) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_COUNT, "value", shown(value));
                    }
                    count = n.intValue();
                }
                case SEED -> {
                    Long s = number(value);
                    if (s == null || s < 0 || s > MAX_SEED) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_SEED,
                                "max", String.valueOf(MAX_SEED), "value", shown(value));
                    }
                    seed = s;
                }
                case MODEL -> {
                    if (value.isBlank()) return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.OPTION_MODEL);
                    model = value.trim();
                }
                case NO_ENHANCE -> enhance = false;
                case ENHANCE -> enhance = true;
            }
        }
        return Checked.ok(new PromptCommand(String.join(" ", prompt), new ImagineOptions(model, aspect, count, seed, enhance)));
    }

    /** The flag's name without its dashes, or null if the word is not a flag. */
    private static String flagName(String word) {
        String rest;
        if (word.startsWith("--")) rest = word.substring(2);
        else if (word.startsWith("—") || word.startsWith("–")) rest = word.substring(1);
        else return null;
        if (rest.startsWith("-")) rest = rest.substring(1); // "—-ar" or "–-ar"
        if (rest.isEmpty() || !Character.isLetter(rest.codePointAt(0))) return null; // "--" alone, "—>" stay prose
        return rest;
    }

    private static List<String> tokens(String text) {
        String t = text.strip();
        if (t.isEmpty()) return List.of();
        return List.of(BLANKS.split(t));
    }

    private static Long number(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 19) return null;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') return null;
        }
        return Long.parseLong(v);
    }

    /** Echoes a member's input back, cut short and with no markup that could ping anyone. */
    static String shown(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return "\"" + cut.replace("@", "@\u200b").replace("`", "'") + "\"";
    }
}
