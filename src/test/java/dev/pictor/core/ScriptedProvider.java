package dev.pictor.core;

import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.ImageProvider;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider that answers from a script, one step per call, and records the calls. */
final class ScriptedProvider implements ImageProvider {
    interface Step {
        ProviderResult answer(ProviderCall call) throws ProviderException;
    }

    private final String name;
    private final Deque<Step> script = new ArrayDeque<>();
    final List<ProviderCall> calls = new CopyOnWriteArrayList<>();

    ScriptedProvider(String name) {
        this.name = name;
    }

    ScriptedProvider then(Step step) {
        script.add(step);
        return this;
    }

    ScriptedProvider fails(ProviderException.Kind kind, int status) {
        return then(c -> {
            throw new ProviderException(kind, status, "HTTP " + status, null, null);
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized ProviderResult generate(ProviderCall call) throws ProviderException {
        calls.add(call);
        if (script.isEmpty()) throw new AssertionError("provider " + name + " called more often than scripted");
        return script.poll().answer(call);
    }
}
