package dev.pictor.discord;

import dev.pictor.core.Image;
import dev.pictor.core.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Makes a job's images fit one Discord message: at most {@value #MAX_FILES} files, each within the interaction's
 * {@code attachment_size_limit} (10 MiB unless the server is boosted), and all of them within
 * {@value #REQUEST_LIMIT} bytes. An image that is too big (PNG, JPEG, WebP — read by TwelveMonkeys' ImageIO
 * plugin, as the JDK has no WebP reader — or GIF) is re-encoded as JPEG and, if that is not enough, scaled down;
 * one that cannot be made to fit (or cannot be decoded: damaged data) is left out, and the core refunds it.
 */
final class UploadFitter {
    private static final Logger log = LoggerFactory.getLogger(UploadFitter.class);

    static final long DEFAULT_FILE_LIMIT = 10L * 1024 * 1024;
    static final long REQUEST_LIMIT = 25L * 1024 * 1024;
    static final int MAX_FILES = 10;
    /** Room left in a request for the JSON payload and the multipart framing. */
    private static final long PAYLOAD_MARGIN = 64 * 1024;
    private static final float[] QUALITIES = {0.92f, 0.82f, 0.72f};
    private static final int MIN_SIDE = 64;

    private final long requestLimit;

    UploadFitter() {
        this(REQUEST_LIMIT);
    }

    /** A fitter for a smaller request limit (tests). */
    UploadFitter(long requestLimit) {
        this.requestLimit = requestLimit;
    }

    /** One file to upload, in the order of the job's images. */
    record Upload(String filename, byte[] bytes, boolean reencoded) {
    }

    /** The files to upload and how many images had to be left out. */
    record Fitted(List<Upload> uploads, int leftOut) {
        int reencoded() {
            return (int) uploads.stream().filter(Upload::reencoded).count();
        }
    }

    /**
     * @param fileLimit the interaction's per-file limit in bytes ({@link #DEFAULT_FILE_LIMIT} when Discord gave none)
     * @param baseName  file name stem; files are named {@code <baseName>-1.png}, {@code -2.jpg}, …
     */
    Fitted fit(List<Image> images, long fileLimit, String baseName) {
        long perFile = fileLimit > 0 ? fileLimit : DEFAULT_FILE_LIMIT;
        int n = Math.min(images.size(), MAX_FILES);
        int leftOut = images.size() - n;
        // Smallest first, so that large images get the room the small ones leave in the request.
        var order = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> images.get(i).size()));
        var fitted = new Upload[n];
        long room = requestLimit - Math.min(PAYLOAD_MARGIN, requestLimit / 10);
        for (int k = 0; k < n; k++) {
            int i = order.get(k);
            long budget = Math.min(perFile, room / (n - k));
            Upload u = fitOne(images.get(i), budget, baseName + "-" + (i + 1));
            if (u == null) {
                leftOut++;
                continue;
            }
            fitted[i] = u;
            room -= u.bytes().length;
        }
        var uploads = new ArrayList<Upload>();
        for (Upload u : fitted) if (u != null) uploads.add(u);
        return new Fitted(List.copyOf(uploads), leftOut);
    }

    private static Upload fitOne(Image image, long budget, String stem) {
        if (image.size() <= budget) return new Upload(stem + "." + image.format().extension(), image.bytes(), false);
        BufferedImage decoded = decode(image);
        if (decoded == null) {
            log.warn("a {} image of {} bytes is over the {} byte limit and cannot be decoded to shrink it; left out",
                    image.format(), image.size(), budget);
            return null;
        }
        BufferedImage rgb = opaque(decoded);
        byte[] best = null;
        for (float q : QUALITIES) {
            best = jpeg(rgb, q);
            if (best.length <= budget) return new Upload(stem + ".jpg", best, true);
        }
        BufferedImage current = rgb;
        for (int round = 0; round < 12 && best.length > budget; round++) {
            double scale = Math.max(0.3, Math.min(0.9, Math.sqrt((double) budget / best.length) * 0.95));
            int w = (int) (current.getWidth() * scale), h = (int) (current.getHeight() * scale);
            if (Math.min(w, h) < MIN_SIDE) break;
            current = scaled(current, w, h);
            best = jpeg(current, QUALITIES[1]);
        }
        if (best.length > budget) {
            log.warn("an image of {} bytes could not be brought under {} bytes; left out", image.size(), budget);
            return null;
        }
        log.debug("image re-encoded from {} {} bytes to {}x{} JPEG {} bytes", image.format(), image.size(),
                current.getWidth(), current.getHeight(), best.length);
        return new Upload(stem + ".jpg", best, true);
    }

    private static BufferedImage decode(Image image) {
        try {
            return ImageIO.read(new ByteArrayInputStream(image.bytes()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** JPEG has no alpha: paint the picture on white. */
    private static BufferedImage opaque(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB || src.getType() == BufferedImage.TYPE_3BYTE_BGR) return src;
        var out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        var out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage img, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var bytes = new ByteArrayOutputStream(); var out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
