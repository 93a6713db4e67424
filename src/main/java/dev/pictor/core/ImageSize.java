package dev.pictor.core;

/** Reads width and height from an image's header without decoding it; {0, 0} when it cannot tell. */
final class ImageSize {
    private ImageSize() {
    }

    static int[] read(ImageFormat format, byte[] b) {
        try {
            return switch (format) {
                case PNG -> b.length >= 24 ? new int[]{int32(b, 16), int32(b, 20)} : unknown();
                case GIF -> b.length >= 10 ? new int[]{u16le(b, 6), u16le(b, 8)} : unknown();
                case JPEG -> jpeg(b);
                case WEBP -> webp(b);
            };
        } catch (RuntimeException e) {
            return unknown();
        }
    }

    private static int[] unknown() {
        return new int[]{0, 0};
    }

    private static int[] jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) return unknown();
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            int len = u16be(b, i + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) return new int[]{u16be(b, i + 7), u16be(b, i + 5)};
            i += 2 + len;
        }
        return unknown();
    }

    private static int[] webp(byte[] b) {
        if (b.length < 30) return unknown();
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new int[]{1 + u24le(b, 24), 1 + u24le(b, 27)};
            case "VP8 " -> new int[]{u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF};
            case "VP8L" -> {
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                yield new int[]{1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)};
            }
            default -> unknown();
        };
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16;
    }
}
