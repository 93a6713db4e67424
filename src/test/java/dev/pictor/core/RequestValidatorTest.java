package dev.pictor.core;

import java.util.Locale;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class RequestValidatorTest {
    private final RequestValidator validator = new RequestValidator(CoreFixtures.catalog(), List.of("Gore", "bad word"));
    private final OptionParser parser = new OptionParser();

    private Checked<ImagineRequest> check(String text) {
        return parser.parse(text).then(c -> validator.validate(ALICE, c));
    }

    private Refusal refusal(String text) {
        var r = check(text);
        assertThat(r).isInstanceOf(Checked.Refused.class);
        return ((Checked.Refused<ImagineRequest>) r).refusal();
    }

    @Test
    void defaults_come_from_the_default_model() {
        ImagineRequest r = ((Checked.Ok<ImagineRequest>) check("a fox")).value();
        assertThat(r.model().id()).isEqualTo("imagen-4");
        assertThat(r.aspect()).isEqualTo("1:1");
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.seed()).isNull();
        assertThat(r.enhance()).isTrue();
    }

    @Test
    void options_are_resolved_against_the_chosen_model() {
        ImagineRequest r = ((Checked.Ok<ImagineRequest>) check("a fox --model IMAGEN-3 --ar 16:9 --n 4 --seed 7 --no-enhance")).value();
        assertThat(r.model().id()).isEqualTo("imagen-3");
        assertThat(r).extracting(ImagineRequest::aspect, ImagineRequest::count, ImagineRequest::seed, ImagineRequest::enhance)
                .containsExactly("16:9", 4, 7L, false);
    }

    @Test
    void empty_prompt_is_refused_with_an_example() {
        assertThat(refusal("   --ar 16:9").reason()).isEqualTo(Refusal.Reason.EMPTY_PROMPT);
        assertThat(refusal("").message(Locale.ENGLISH)).contains("for example");
    }

    @Test
    void too_long_prompt_names_the_length_and_the_limit() {
        Refusal r = refusal("a".repeat(401));
        assertThat(r.reason()).isEqualTo(Refusal.Reason.PROMPT_TOO_LONG);
        assertThat(r.message(Locale.ENGLISH)).contains("401").contains("400");
    }

    @Test
    void unknown_model_lists_the_models() {
        Refusal r = refusal("a fox --model dalle");
        assertThat(r.reason()).isEqualTo(Refusal.Reason.UNKNOWN_MODEL);
        assertThat(r.message(Locale.ENGLISH)).contains("imagen-4, imagen-3, tiny");
    }

    @Test
    void unsupported_aspect_count_and_seed_name_what_is_allowed() {
        assertThat(refusal("x --ar 21:9").message(Locale.ENGLISH)).contains("1:1, 9:16, 16:9, 3:4, 4:3");
        assertThat(refusal("x --n 5").message(Locale.ENGLISH)).contains("1 to 4");
        assertThat(refusal("x --model tiny --n 2").message(Locale.ENGLISH)).contains("one image");
        assertThat(refusal("x --model tiny --seed 3").reason()).isEqualTo(Refusal.Reason.UNSUPPORTED_SEED);
        assertThat(refusal("x --model tiny --ar 16:9").reason()).isEqualTo(Refusal.Reason.UNSUPPORTED_ASPECT);
    }

    @Test
    void banned_terms_match_whole_words_ignoring_case_and_accents() {
        assertThat(refusal("lots of GÖRE here").reason()).isEqualTo(Refusal.Reason.BANNED_TERM);
        assertThat(refusal("a bad, word").reason()).isEqualTo(Refusal.Reason.BANNED_TERM);
        assertThat(check("a gorey scene").isOk()).isTrue();
    }

    @Test
    void model_without_enhance_never_enhances_and_no_enhance_is_harmless() {
        ImagineRequest r = ((Checked.Ok<ImagineRequest>) check("x --model tiny --no-enhance")).value();
        assertThat(r.enhance()).isFalse();
        assertThat(refusal("x --model tiny --enhance").reason()).isEqualTo(Refusal.Reason.UNSUPPORTED_ENHANCE);
    }
}
