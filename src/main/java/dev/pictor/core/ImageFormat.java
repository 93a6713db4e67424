package dev.pictor.core;

import java.util.Optional;

/** The image types pictor accepts, told apart by their magic numbers (never by what a server claims). */
public enum ImageFormat {
    PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), WEBP("image/webp", "webp"), GIF("image/gif", "gif");

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    public String extension() {
        return extension;
    }

    /** The format these bytes start with, or empty when they are not an accepted image. */
    public static Optional<ImageFormat> sniff(byte[] b) {
        if (b == null) return Optional.empty();
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of(PNG);
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) return Optional.of(JPEG);
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return Optional.of(GIF);
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) return Optional.of(WEBP);
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }
}
