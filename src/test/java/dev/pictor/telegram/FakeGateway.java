package dev.pictor.telegram;

import dev.pictor.core.port.GatewayCall;
import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayImage;
import dev.pictor.core.port.GatewayResult;
import dev.pictor.core.port.ImageGateway;
import dev.pictor.testing.TestImages;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test gateway (until the provider classes are on main): answers every call with real PNGs, as many as asked,
 * and the seed it was given (or 1234), unless a test sets another behaviour.
 */
final class FakeGateway implements ImageGateway {
    interface Behaviour {
        GatewayResult answer(GatewayCall call) throws GatewayException, InterruptedException;
    }

    final List<GatewayCall> calls = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = FakeGateway::pictures;

    @Override
    public String name() {
        return "fake";
    }

    void behave(Behaviour b) {
        behaviour = b;
    }

    @Override
    public GatewayResult generate(GatewayCall call) throws GatewayException {
        calls.add(call);
        try {
            return behaviour.answer(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(GatewayException.Kind.TRANSIENT, "interrupted");
        }
    }

    static GatewayResult pictures(GatewayCall call) {
        var images = new ArrayList<GatewayImage>();
        for (int i = 0; i < call.count(); i++) {
            images.add(GatewayImage.ofBytes(TestImages.png(64 + i, 64), "image/png", "an enhanced " + call.prompt()));
        }
        return new GatewayResult(images, call.seed() != null ? call.seed() : 1234L, null);
    }

    /**
     * Bytes that the core accepts as a PNG of {@code width}×{@code height} (it reads only the header), padded to
     * {@code totalBytes}: an oversized image without encoding one.
     */
    static byte[] pngHeader(int width, int height, int totalBytes) {
        byte[] b = new byte[Math.max(totalBytes, 33)];
        byte[] head = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(head, 0, b, 0, head.length);
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(width).putInt(height);
        return b;
    }
}
