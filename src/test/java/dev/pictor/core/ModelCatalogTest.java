package dev.pictor.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class ModelCatalogTest {
    @Test
    void a_recorded_request_on_a_known_model_comes_back_as_it_was_asked() {
        ImagineRequest back = CoreFixtures.catalog().restore(ALICE, "a fox", "Imagen-3", "16:9", 3, 7L, true);

        assertThat(back.model().id()).isEqualTo("imagen-3");
        assertThat(back).extracting(ImagineRequest::aspect, ImagineRequest::count, ImagineRequest::seed, ImagineRequest::enhance)
                .containsExactly("16:9", 3, 7L, true);
    }

    @Test
    void a_request_on_a_model_since_removed_comes_back_on_the_default_model_within_its_capabilities() {
        var tinyOnly = new ModelCatalog(List.of(CoreFixtures.catalog().find("tiny").orElseThrow()), "tiny");

        ImagineRequest back = tinyOnly.restore(ALICE, "a fox", "imagen-4", "16:9", 3, 7L, true);

        assertThat(back.model().id()).isEqualTo("tiny");
        assertThat(back.prompt()).isEqualTo("a fox");
        assertThat(back.requester()).isEqualTo(ALICE);
        assertThat(back.aspect()).isEqualTo("1:1");
        assertThat(back.count()).isEqualTo(1);
        assertThat(back.seed()).isNull();
        assertThat(back.enhance()).isFalse();
    }

    @Test
    void on_a_default_model_that_can_take_them_the_options_of_a_removed_model_are_kept() {
        var imagenOnly = new ModelCatalog(List.of(CoreFixtures.catalog().find("imagen-4").orElseThrow()), "imagen-4");

        ImagineRequest back = imagenOnly.restore(ALICE, "a fox", "flash", "4:3", 2, 7L, true);

        assertThat(back.model().id()).isEqualTo("imagen-4");
        assertThat(back).extracting(ImagineRequest::aspect, ImagineRequest::count, ImagineRequest::seed, ImagineRequest::enhance)
                .containsExactly("4:3", 2, 7L, true);
    }
}
