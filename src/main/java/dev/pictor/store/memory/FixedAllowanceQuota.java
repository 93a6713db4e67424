package dev.pictor.store.memory;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stand-in quota kept in memory for as long as the process runs: every member gets the capacity of each limit of
 * one plan (e.g. 3 and 25 for {@code ["3/1m", "25/1d"]}), and nothing refills. A charge takes tokens from every
 * limit or from none; a refund gives them back. It is what {@code pictor imagine} uses until the persistent quota
 * (Bucket4j on SQLite) is wired: it refuses a request larger than the plan allows, but a new process starts afresh.
 */
public final class FixedAllowanceQuota implements QuotaPort {
    private final String plan;
    private final Map<String, Long> capacities;
    private final Map<String, long[]> left = new LinkedHashMap<>();

    /**
     * @param plan       the plan's name, shown in the view
     * @param capacities each limit's name as configured (e.g. {@code 3/1m}) → its capacity in images
     */
    public FixedAllowanceQuota(String plan, Map<String, Long> capacities) {
        this.plan = Objects.requireNonNull(plan, "plan");
        if (capacities.isEmpty()) throw new IllegalArgumentException("a plan needs at least one limit");
        capacities.values().forEach(c -> {
            if (c < 1) throw new IllegalArgumentException("a limit's capacity must be at least 1");
        });
        this.capacities = new LinkedHashMap<>(capacities);
    }

    @Override
    public synchronized QuotaDecision charge(Requester who, int images) {
        if (images < 1) throw new IllegalArgumentException("charge at least 1 image");
        long[] tokens = tokens(who);
        int i = 0;
        for (var limit : capacities.entrySet()) {
            if (tokens[i] < images) {
                String message = tokens[i] == 0
                        ? "You have used all " + limit.getValue() + " images of your plan's " + limit.getKey() + " limit."
                        : "You asked for " + images + " images, but your plan's " + limit.getKey() + " limit has only "
                        + tokens[i] + " left.";
                return new QuotaDecision.Denied(Refusal.of(Refusal.Reason.QUOTA_SPENT, message));
            }
            i++;
        }
        for (int j = 0; j < tokens.length; j++) tokens[j] -= images;
        return new QuotaDecision.Granted(who, images, List.of("member"));
    }

    @Override
    public synchronized void refund(QuotaDecision.Granted grant, int images) {
        long[] tokens = tokens(grant.who());
        int i = 0;
        for (long capacity : capacities.values()) {
            tokens[i] = Math.min(capacity, tokens[i] + images);
            i++;
        }
    }

    @Override
    public synchronized QuotaView view(Requester who) {
        long[] tokens = tokens(who);
        var limits = new ArrayList<QuotaView.Limit>();
        int i = 0;
        for (var limit : capacities.entrySet()) {
            limits.add(new QuotaView.Limit(limit.getKey(), limit.getValue(), tokens[i++], Duration.ZERO, Duration.ZERO));
        }
        return new QuotaView(plan, false, limits, List.of());
    }

    private long[] tokens(Requester who) {
        return left.computeIfAbsent(who.memberKey(), k -> capacities.values().stream().mapToLong(Long::longValue).toArray());
    }
}
