package dev.pictor.testing;

import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test delivery that accepts every image (or fails, or accepts only some) and records what it was told. */
public final class RecordingDelivery implements Delivery {
    public final List<Progress> progress = new CopyOnWriteArrayList<>();
    public final List<Generated> delivered = new CopyOnWriteArrayList<>();
    public final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private final int accept;
    private final boolean fail;
    private final String origin;

    private RecordingDelivery(int accept, boolean fail) {
        this(accept, fail, null);
    }

    private RecordingDelivery(int accept, boolean fail, String origin) {
        this.accept = accept;
        this.fail = fail;
        this.origin = origin;
    }

    public static RecordingDelivery acceptingAll() {
        return new RecordingDelivery(Integer.MAX_VALUE, false);
    }

    public static RecordingDelivery acceptingAtMost(int n) {
        return new RecordingDelivery(n, false);
    }

    public static RecordingDelivery failing() {
        return new RecordingDelivery(0, true);
    }

    /** Accepts every image and says which platform event asked ({@link Delivery#origin}). */
    public static RecordingDelivery withOrigin(String origin) {
        return new RecordingDelivery(Integer.MAX_VALUE, false, origin);
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public void progress(Progress p) {
        progress.add(p);
    }

    @Override
    public int deliver(Generated generated) throws Exception {
        if (fail) throw new java.io.IOException("upload failed (test)");
        delivered.add(generated);
        return Math.min(accept, generated.images().size());
    }

    @Override
    public void refused(Refusal refusal) {
        refusals.add(refusal);
    }
}
