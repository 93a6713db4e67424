package dev.pictor.discord;

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
 * A test image gateway: answers each call with what the current script says (by default as many small PNGs as
 * asked, the seed it was given or 1234, and a rewritten prompt), and records every call.
 */
final class ScriptedGateway implements ImageGateway {
    interface Script {
        GatewayResult answer(GatewayCall call) throws GatewayException;
    }

    static final Script PNGS = call -> {
        var images = new ArrayList<GatewayImage>();
        for (int i = 0; i < call.count(); i++) {
            images.add(GatewayImage.ofBytes(TestImages.png(64 + i, 64), "image/png", "enhanced: " + call.prompt()));
        }
        return new GatewayResult(images, call.seed() != null ? call.seed() : 1234L, 0.03 * call.count());
    };

    final List<GatewayCall> calls = new CopyOnWriteArrayList<>();
    private final String name;
    private volatile Script script = PNGS;

    ScriptedGateway(String name) {
        this.name = name;
    }

    void script(Script s) {
        this.script = s;
    }

    void reset() {
        calls.clear();
        script = PNGS;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GatewayResult generate(GatewayCall call) throws GatewayException {
        calls.add(call);
        return script.answer(call);
    }
}
