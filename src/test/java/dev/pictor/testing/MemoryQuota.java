package dev.pictor.testing;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test quota: each member has {@code perMember} tokens that never refill; counts charges and refunds. */
public class MemoryQuota implements QuotaPort {
    private final int perMember;
    private final Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    public final AtomicInteger charged = new AtomicInteger();
    public final AtomicInteger refunded = new AtomicInteger();
    public final AtomicInteger refundCalls = new AtomicInteger();

    public MemoryQuota(int perMember) {
        this.perMember = perMember;
    }

    public static MemoryQuota unlimited() {
        return new MemoryQuota(Integer.MAX_VALUE / 2);
    }

    @Override
    public synchronized QuotaDecision charge(Requester who, int images) {
        AtomicInteger tokens = left.computeIfAbsent(who.memberKey(), k -> new AtomicInteger(perMember));
        if (tokens.get() < images) {
            return new QuotaDecision.Denied(new Refusal(Refusal.Reason.QUOTA_SPENT, Text.of(Msg.QUOTA_USED_MEMBER,
                    "images", perMember, "window", LimitSpec.parse("1/1d").window(), "wait", Duration.ofHours(1)), Duration.ofHours(1)));
        }
        tokens.addAndGet(-images);
        charged.addAndGet(images);
        return new QuotaDecision.Granted(who, images, List.of("member"));
    }

    @Override
    public synchronized void refund(QuotaDecision.Granted grant, int images) {
        left.get(grant.who().memberKey()).addAndGet(images);
        refunded.addAndGet(images);
        refundCalls.incrementAndGet();
    }

    @Override
    public QuotaView view(Requester who) {
        int remaining = left.computeIfAbsent(who.memberKey(), k -> new AtomicInteger(perMember)).get();
        return new QuotaView("test", false, List.of(new QuotaView.Limit(perMember + "/forever", perMember, remaining,
                Duration.ZERO, Duration.ZERO)), List.of());
    }

    /** Tokens charged and not given back. */
    public int net() {
        return charged.get() - refunded.get();
    }
}
