package dev.pictor.core;

import java.util.Locale;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OptionParserTest {
    private final OptionParser parser = new OptionParser();

    private PromptCommand ok(String text) {
        Checked<PromptCommand> r = parser.parse(text);
        assertThat(r).as("parse of %s", text).isInstanceOf(Checked.Ok.class);
        return ((Checked.Ok<PromptCommand>) r).value();
    }

    private Refusal refused(String text) {
        Checked<PromptCommand> r = parser.parse(text);
        assertThat(r).as("parse of %s", text).isInstanceOf(Checked.Refused.class);
        return ((Checked.Refused<PromptCommand>) r).refusal();
    }

    @Test
    void prompt_without_flags_is_kept_whole_with_single_spaces() {
        PromptCommand c = ok("  a red   fox\tin snow ");
        assertThat(c.prompt()).isEqualTo("a red fox in snow");
        assertThat(c.options()).isEqualTo(ImagineOptions.NONE);
    }

    @Test
    void every_flag_is_read_and_removed_from_the_prompt() {
        PromptCommand c = ok("a fox --ar 16:9 --n 2 --seed 42 --model imagen-3 --no-enhance");
        assertThat(c.prompt()).isEqualTo("a fox");
        assertThat(c.options()).isEqualTo(new ImagineOptions("imagen-3", "16:9", 2, 42L, false));
    }

    @Test
    void long_names_equals_form_and_flags_before_the_prompt_work() {
        PromptCommand c = ok("--aspect=4:3 --count=3 a lighthouse at dusk");
        assertThat(c.prompt()).isEqualTo("a lighthouse at dusk");
        assertThat(c.options().aspect()).isEqualTo("4:3");
        assertThat(c.options().count()).isEqualTo(3);
    }

    @Test
    void phone_dashes_count_as_double_dashes() {
        PromptCommand c = ok("a cat —ar 9:16 –n 4 —no-enhance");
        assertThat(c.prompt()).isEqualTo("a cat");
        assertThat(c.options()).isEqualTo(new ImagineOptions(null, "9:16", 4, null, false));
    }

    @Test
    void aspect_ratio_written_with_x_or_leading_zeros_is_normalised() {
        assertThat(ok("x --ar 16x9").options().aspect()).isEqualTo("16:9");
        assertThat(ok("x --ar 01:01").options().aspect()).isEqualTo("1:1");
    }

    @Test
    void dashes_in_prose_stay_in_the_prompt() {
        assertThat(ok("before -- after — done --> 3").prompt()).isEqualTo("before -- after — done --> 3");
    }

    @Test
    void unknown_flag_names_the_flag_and_lists_the_options() {
        Refusal r = refused("a fox --style anime");
        assertThat(r.reason()).isEqualTo(Refusal.Reason.BAD_OPTION);
        assertThat(r.message(Locale.ENGLISH)).contains("--style").contains("--ar W:H").contains("--no-enhance");
    }

    @Test
    void flag_without_value_says_what_a_value_looks_like() {
        assertThat(refused("a fox --ar").message(Locale.ENGLISH)).contains("--ar 16:9");
        assertThat(refused("a fox --seed --n 2").message(Locale.ENGLISH)).contains("--seed 42");
    }

    @Test
    void bad_values_are_refused_with_the_allowed_range() {
        assertThat(refused("x --ar wide").message(Locale.ENGLISH)).contains("16:9");
        assertThat(refused("x --n two").message(Locale.ENGLISH)).contains("whole number");
        assertThat(refused("x --n 0").reason()).isEqualTo(Refusal.Reason.BAD_OPTION);
        assertThat(refused("x --seed -1").message(Locale.ENGLISH)).contains("4294967295");
        assertThat(refused("x --seed 4294967296").message(Locale.ENGLISH)).contains("4294967295");
        assertThat(refused("x --seed 99999999999999999999999").reason()).isEqualTo(Refusal.Reason.BAD_OPTION);
        assertThat(refused("x --no-enhance=yes").message(Locale.ENGLISH)).contains("takes no value");
    }

    @Test
    void largest_seed_is_accepted() {
        assertThat(ok("x --seed 4294967295").options().seed()).isEqualTo(4_294_967_295L);
    }

    @Test
    void echoed_input_cannot_ping_anyone() {
        assertThat(refused("x --ar @everyone").message(Locale.ENGLISH)).doesNotContain("@everyone");
        assertThat(refused("x --e@everyone").message(Locale.ENGLISH)).doesNotContain("@everyone");
    }

    @Test
    void ten_thousand_random_and_adversarial_strings_never_throw_and_errors_are_sentences() {
        var rnd = new Random(20261122L);
        String[] pieces = {"--ar", "--n", "--seed", "--model", "--no-enhance", "—ar", "–n", "--", "—", "=", ":", "16:9",
                "0", "-1", "4294967296", "99999999999999999999", "x", "😀", "\u0000", "\n", " ", "\t", "--aspect=",
                "--count=", "--seed=", "@everyone", "`", "\uD800", "1:0", "0:0", "999:999", "--model=", "ﬀ", "Ｒ"};
        for (int i = 0; i < 10_000; i++) {
            var sb = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int j = 0; j < n; j++) {
                if (rnd.nextInt(4) == 0) sb.append((char) rnd.nextInt(0x3000));
                else sb.append(pieces[rnd.nextInt(pieces.length)]);
                if (rnd.nextBoolean()) sb.append(' ');
            }
            Checked<PromptCommand> r = parser.parse(sb.toString());
            if (r instanceof Checked.Refused<PromptCommand> ref) {
                assertThat(ref.refusal().message(Locale.ENGLISH)).as("input %s", sb).isNotBlank().endsWith(".");
            } else {
                assertThat(((Checked.Ok<PromptCommand>) r).value().prompt()).isNotNull();
            }
        }
        assertThat(parser.parse(null).isOk()).isTrue();
        assertThat(parser.parse("x ".repeat(100_000) + "--ar 1:1").isOk()).isTrue();
    }
}
