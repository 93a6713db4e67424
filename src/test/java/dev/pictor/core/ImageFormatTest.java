package dev.pictor.core;

import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFormatTest {
    @Test
    void png_and_jpeg_are_recognised_with_their_size() {
        assertThat(Image.of(TestImages.png(1408, 768))).get()
                .extracting(Image::format, Image::width, Image::height).containsExactly(ImageFormat.PNG, 1408, 768);
        assertThat(Image.of(TestImages.jpeg(896, 1280))).get()
                .extracting(Image::format, Image::width, Image::height).containsExactly(ImageFormat.JPEG, 896, 1280);
    }

    @Test
    void gif_is_recognised_with_its_size() throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_INDEXED), "gif", out);
        assertThat(Image.of(out.toByteArray())).get()
                .extracting(Image::format, Image::width, Image::height).containsExactly(ImageFormat.GIF, 30, 20);
    }

    @Test
    void webp_header_is_recognised() {
        byte[] vp8x = new byte[30];
        System.arraycopy("RIFF".getBytes(), 0, vp8x, 0, 4);
        System.arraycopy("WEBPVP8X".getBytes(), 0, vp8x, 8, 8);
        vp8x[24] = (byte) 0xFF; vp8x[25] = 0x03; // width-1 = 1023
        vp8x[27] = (byte) 0xFF; vp8x[28] = 0x02; // height-1 = 767
        assertThat(Image.of(vp8x)).get()
                .extracting(Image::format, Image::width, Image::height).containsExactly(ImageFormat.WEBP, 1024, 768);
    }

    @Test
    void anything_else_is_refused() {
        assertThat(Image.of("<html><body>nope".getBytes())).isEmpty();
        assertThat(Image.of(new byte[0])).isEmpty();
        assertThat(Image.of(new byte[]{(byte) 0x89, 'P', 'N'})).isEmpty();
        assertThat(ImageFormat.sniff(null)).isEmpty();
    }

    @Test
    void truncated_headers_give_unknown_size_not_an_error() {
        byte[] png = TestImages.png(10, 10);
        assertThat(Image.of(java.util.Arrays.copyOf(png, 12))).get().extracting(Image::width).isEqualTo(0);
        assertThat(Image.of(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00})).get().extracting(Image::height).isEqualTo(0);
    }
}
