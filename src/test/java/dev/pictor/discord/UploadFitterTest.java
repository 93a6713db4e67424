package dev.pictor.discord;

import dev.pictor.core.Image;
import dev.pictor.core.ImageFormat;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UploadFitterTest {
    private static Image image(byte[] bytes) {
        return Image.of(bytes).orElseThrow();
    }

    @Test
    void givenImagesWithinTheLimits_whenFitted_thenTheyAreUploadedUnchangedInOrder() {
        byte[] a = TestImages.png(40, 30), b = TestImages.jpeg(30, 40);

        var fitted = new UploadFitter().fit(List.of(image(a), image(b)), UploadFitter.DEFAULT_FILE_LIMIT, "pictor-job");

        assertThat(fitted.leftOut()).isZero();
        assertThat(fitted.uploads()).extracting(UploadFitter.Upload::filename).containsExactly("pictor-job-1.png", "pictor-job-2.jpg");
        assertThat(fitted.uploads().get(0).bytes()).isSameAs(a);
        assertThat(fitted.reencoded()).isZero();
    }

    @Test
    void givenAPngOverThePerFileLimit_whenFitted_thenItBecomesAJpegWithinTheLimit() {
        byte[] big = TestImages.noisyPng(300_000, 1);
        long limit = 100_000;

        var fitted = new UploadFitter().fit(List.of(image(big)), limit, "x");

        assertThat(fitted.uploads()).singleElement().satisfies(u -> {
            assertThat(u.bytes().length).isLessThanOrEqualTo((int) limit);
            assertThat(ImageFormat.sniff(u.bytes())).contains(ImageFormat.JPEG);
            assertThat(u.filename()).isEqualTo("x-1.jpg");
            assertThat(u.reencoded()).isTrue();
        });
    }

    @Test
    void givenImagesTogetherOverTheRequestLimit_whenFitted_thenTheTotalFitsTheRequest() {
        var images = List.of(image(TestImages.noisyPng(200_000, 1)), image(TestImages.noisyPng(200_000, 2)),
                image(TestImages.png(20, 20)));
        long requestLimit = 300_000;

        var fitted = new UploadFitter(requestLimit).fit(images, 250_000, "x");

        assertThat(fitted.uploads()).hasSize(3);
        assertThat(fitted.uploads().stream().mapToLong(u -> u.bytes().length).sum()).isLessThanOrEqualTo(requestLimit);
        assertThat(fitted.uploads().get(2).reencoded()).isFalse();
    }

    @Test
    void givenALimitNoImageCanMeet_whenFitted_thenTheImageIsLeftOut() {
        var fitted = new UploadFitter().fit(List.of(image(TestImages.noisyPng(50_000, 3))), 200, "x");

        assertThat(fitted.uploads()).isEmpty();
        assertThat(fitted.leftOut()).isEqualTo(1);
    }

    @Test
    void givenAWebpPhotoOverTheLimit_whenFitted_thenItBecomesAJpegWithinTheLimit_ofTheSamePicture() throws Exception {
        // given a real WebP (made with cwebp -q 90 from a 320×240 gradient with noise) over the per-file limit
        byte[] webp;
        try (var in = UploadFitterTest.class.getResourceAsStream("/images/photo-320x240.webp")) {
            webp = in.readAllBytes();
        }
        assertThat(ImageFormat.sniff(webp)).contains(ImageFormat.WEBP);
        long limit = webp.length / 2;

        var fitted = new UploadFitter().fit(List.of(image(webp)), limit, "x");

        // then it is uploaded as a JPEG that fits, not left out (and so not refunded)
        assertThat(fitted.leftOut()).isZero();
        assertThat(fitted.uploads()).singleElement().satisfies(u -> {
            assertThat(u.bytes().length).isLessThanOrEqualTo((int) limit);
            assertThat(ImageFormat.sniff(u.bytes())).contains(ImageFormat.JPEG);
            assertThat(u.filename()).isEqualTo("x-1.jpg");
            assertThat(u.reencoded()).isTrue();
            var jpeg = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(u.bytes()));
            assertThat((double) jpeg.getWidth() / jpeg.getHeight()).isCloseTo(320.0 / 240, org.assertj.core.data.Offset.offset(0.02));
        });
    }

    @Test
    void givenADamagedWebpOverTheLimit_whenFitted_thenItIsLeftOut_becauseItCannotBeDecoded() {
        byte[] webp = new byte[4096];
        System.arraycopy("RIFF".getBytes(), 0, webp, 0, 4);
        System.arraycopy("WEBPVP8 ".getBytes(), 0, webp, 8, 8);

        var fitted = new UploadFitter().fit(List.of(image(webp)), 1000, "x");

        assertThat(fitted.uploads()).isEmpty();
        assertThat(fitted.leftOut()).isEqualTo(1);
    }

    @Test
    void givenMoreThanTenImages_whenFitted_thenTenAreUploaded() {
        var images = new ArrayList<>(Collections.nCopies(12, image(TestImages.png(8, 8))));

        var fitted = new UploadFitter().fit(images, UploadFitter.DEFAULT_FILE_LIMIT, "x");

        assertThat(fitted.uploads()).hasSize(10);
        assertThat(fitted.leftOut()).isEqualTo(2);
    }
}
