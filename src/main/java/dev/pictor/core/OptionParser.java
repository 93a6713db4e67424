package dev.pictor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits what a member typed into the prompt and its {@code --flags}. One parser serves every adapter.
 *
 * <p>Flags: {@code --ar W:H} (or {@code --aspect}), {@code --n N} (or {@code --count}), {@code --seed N},
 * {@code --model ID}, {@code --no-enhance} (and {@code --enhance}). {@code --flag=value} works too. Phones turn
 * "--" into "—" or "–"; both are accepted. Every mistake comes back as a {@link Checked.Refused} with a sentence
 * that says which values are allowed; no input makes it throw.
 */
public final class OptionParser {
    public static final long MAX_SEED = 4_294_967_295L;
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern RATIO = Pattern.compile("(\\d{1,3})\\s*[:x×/]\\s*(\\d{1,3})");
    private static final String FLAGS_HELP = "--ar W:H, --n N, --seed N, --model ID, --no-enhance";

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
            if (!isKnown(flag)) {
                return Checked.refused(Refusal.Reason.BAD_OPTION,
                        "I don't know the option " + shown(word) + ". The options are: " + FLAGS_HELP + ".");
            }
            boolean takesValue = !flag.endsWith("enhance");
            if (takesValue && value == null) {
                if (i + 1 >= words.size() || flagName(words.get(i + 1)) != null) {
                    return Checked.refused(Refusal.Reason.BAD_OPTION,
                            "The option --" + flag + " needs a value, for example " + example(flag) + ".");
                }
                value = words.get(++i);
            } else if (!takesValue && value != null) {
                return Checked.refused(Refusal.Reason.BAD_OPTION,
                        "The option --" + flag + " takes no value: write just --" + flag + ".");
            }
            switch (flag) {
                case "ar", "aspect" -> {
                    var m = RATIO.matcher(value.trim());
                    if (!m.matches()) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION,
                                "The aspect ratio " + shown(value) + " is not W:H; write it like 16:9 or 1:1.");
                    }
                    aspect = Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
                }
                case "n", "count" -> {
                    Long n = number(value);
                    if (n == null || n < 1 || n > 100) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION,
                                "The number of images must be a whole number such as 1, 2, 3 or 4, not " + shown(value) + ".");
                    }
                    count = n.intValue();
                }
                case "seed" -> {
                    Long s = number(value);
                    if (s == null || s < 0 || s > MAX_SEED) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION,
                                "The seed must be a whole number from 0 to " + MAX_SEED + ", not " + shown(value) + ".");
                    }
                    seed = s;
                }
                case "model" -> {
                    if (value.isBlank()) {
                        return Checked.refused(Refusal.Reason.BAD_OPTION, "The option --model needs a model id, for example --model imagen-4.");
                    }
                    model = value.trim();
                }
                case "no-enhance", "noenhance" -> enhance = false;
                case "enhance" -> enhance = true;
                default -> throw new IllegalStateException(flag); // unreachable: isKnown checked above
            }
        }
        return Checked.ok(new PromptCommand(String.join(" ", prompt), new ImagineOptions(model, aspect, count, seed, enhance)));
    }

    private static boolean isKnown(String flag) {
        return switch (flag) {
            case "ar", "aspect", "n", "count", "seed", "model", "no-enhance", "noenhance", "enhance" -> true;
            default -> false;
        };
    }

    private static String example(String flag) {
        return switch (flag) {
            case "ar", "aspect" -> "--ar 16:9";
            case "n", "count" -> "--n 2";
            case "seed" -> "--seed 42";
            default -> "--model imagen-4";
        };
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
