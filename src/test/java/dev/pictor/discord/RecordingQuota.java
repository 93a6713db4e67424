package dev.pictor.discord;

import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;
import dev.pictor.testing.MemoryQuota;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A quota the test can swap between scenarios, recording who was charged. */
final class RecordingQuota implements QuotaPort {
    final List<Requester> charged = new CopyOnWriteArrayList<>();
    private volatile MemoryQuota inner = MemoryQuota.unlimited();

    MemoryQuota use(MemoryQuota q) {
        inner = q;
        charged.clear();
        return q;
    }

    MemoryQuota inner() {
        return inner;
    }

    @Override
    public QuotaDecision charge(Requester who, int images) {
        charged.add(who);
        return inner.charge(who, images);
    }

    @Override
    public void refund(QuotaDecision.Granted grant, int images) {
        inner.refund(grant, images);
    }

    /** While set, {@code view} waits for it: a slow store, to fill the bot's workers. */
    volatile java.util.concurrent.CountDownLatch viewGate;
    /** How many {@code view} calls are waiting at the gate. */
    final java.util.concurrent.atomic.AtomicInteger waitingAtGate = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public QuotaView view(Requester who) {
        var gate = viewGate;
        if (gate != null) {
            try {
                waitingAtGate.incrementAndGet();
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return inner.view(who);
    }
}
