package dev.pictor.core;

import dev.pictor.core.port.GatewayCall;
import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayResult;
import dev.pictor.core.port.ImageGateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gateway that answers from a script, one step per call, and records the calls. */
final class ScriptedGateway implements ImageGateway {
    interface Step {
        GatewayResult answer(GatewayCall call) throws GatewayException;
    }

    private final String name;
    private final Deque<Step> script = new ArrayDeque<>();
    final List<GatewayCall> calls = new CopyOnWriteArrayList<>();

    ScriptedGateway(String name) {
        this.name = name;
    }

    ScriptedGateway then(Step step) {
        script.add(step);
        return this;
    }

    ScriptedGateway fails(GatewayException.Kind kind, int status) {
        return then(c -> {
            throw new GatewayException(kind, status, "HTTP " + status, null, null);
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized GatewayResult generate(GatewayCall call) throws GatewayException {
        calls.add(call);
        if (script.isEmpty()) throw new AssertionError("gateway " + name + " called more often than scripted");
        return script.poll().answer(call);
    }
}
