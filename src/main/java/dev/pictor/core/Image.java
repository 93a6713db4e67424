package dev.pictor.core;

import java.util.Objects;

/**
 * One generated picture, in memory: its bytes (already checked to be an accepted format), the format, and its size
 * in pixels when the header tells it (0 when unknown).
 */
public record Image(byte[] bytes, ImageFormat format, int width, int height) {
    public Image {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(format, "format");
    }

    /** Reads format and size from the bytes; empty when they are not an accepted image. */
    public static java.util.Optional<Image> of(byte[] bytes) {
        return ImageFormat.sniff(bytes).map(f -> {
            int[] wh = ImageSize.read(f, bytes);
            return new Image(bytes, f, wh[0], wh[1]);
        });
    }

    public int size() {
        return bytes.length;
    }
}
