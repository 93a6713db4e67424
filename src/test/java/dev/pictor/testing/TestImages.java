package dev.pictor.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Real, decodable test images made on the fly (no binary files in the repo). */
public final class TestImages {
    private TestImages() {
    }

    /** A small valid PNG of the given size with a flat colour. */
    public static byte[] png(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png");
    }

    /** A valid PNG of roughly {@code approxBytes} bytes: random noise does not compress. */
    public static byte[] noisyPng(int approxBytes, long seed) {
        int side = (int) Math.ceil(Math.sqrt(approxBytes / 3.0));
        var img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        var rnd = new Random(seed);
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) img.setRGB(x, y, rnd.nextInt(0x1000000));
        return encode(img, "png");
    }

    public static byte[] jpeg(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    private static byte[] encode(BufferedImage img, String format) {
        try (var out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
