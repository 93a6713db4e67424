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

    @Override
    public QuotaView view(Requester who) {
        return inner.view(who);
    }
}
