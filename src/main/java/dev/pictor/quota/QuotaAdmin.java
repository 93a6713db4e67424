package dev.pictor.quota;

import dev.pictor.core.Platform;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.QuotaText;
import dev.pictor.core.port.AdminPort;
import dev.pictor.store.AuditLog;
import dev.pictor.store.Database;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin operations on quotas (plan, grant, reset, block, pool), each written in one transaction with its entry
 * in the audit log.
 */
final class QuotaAdmin implements AdminPort {
    private static final int MAX_GRANT = 1_000_000;

    private final Database db;
    private final QuotaSettings settings;
    private final QuotaSubjects subjects;
    private final LayerBuckets buckets;
    private final AuditLog audit;

    QuotaAdmin(Database db, QuotaSettings settings, QuotaSubjects subjects, LayerBuckets buckets, AuditLog audit) {
        this.db = db;
        this.settings = settings;
        this.subjects = subjects;
        this.buckets = buckets;
        this.audit = audit;
    }

    @Override
    public Set<String> plans() {
        return settings.plans().keySet();
    }

    @Override
    public AdminResult setPlan(String actor, Member member, String plan) {
        if (plan != null && !settings.plans().containsKey(plan)) {
            return new AdminResult(false, "There is no plan \"" + plan + "\". Plans: " + String.join(", ", settings.plans().keySet()) + ".");
        }
        db.write(d -> {
            subjects.setOverride(d, QuotaLayers.memberSubject(member.key()), plan);
            audit.record(actor, "set-plan", member.key(), plan == null ? "(role or default plan)" : plan);
            return null;
        });
        return new AdminResult(true, plan == null
                ? member.key() + " is back on their role or default plan."
                : member.key() + " now has the plan " + plan + " (" + String.join(", ", settings.plans().get(plan)) + ").");
    }

    @Override
    public AdminResult grant(String actor, Member member, int images) {
        if (images < 1 || images > MAX_GRANT) {
            return new AdminResult(false, "Grant between 1 and " + MAX_GRANT + " images, not " + images + ".");
        }
        long total = db.write(d -> {
            String subject = QuotaLayers.memberSubject(member.key());
            subjects.addExtra(d, subject, images);
            audit.record(actor, "grant", member.key(), "+" + images);
            return subjects.extra(d, subject, images);
        });
        return new AdminResult(true, member.key() + " got " + images + " extra image" + (images == 1 ? "" : "s")
                + " (" + total + " extra in all), used once their plan runs out.");
    }

    @Override
    public AdminResult reset(String actor, Member member) {
        String subject = QuotaLayers.memberSubject(member.key());
        db.write(d -> {
            buckets.refill(subject, Limits.configuration(settings.limits(settings.defaultPlan())));
            audit.record(actor, "reset", member.key(), null);
            return null;
        });
        return new AdminResult(true, member.key() + " has their full allowance back.");
    }

    @Override
    public AdminResult block(String actor, Member member, String reason) {
        return setBlocked(actor, member, true, reason);
    }

    @Override
    public AdminResult unblock(String actor, Member member) {
        return setBlocked(actor, member, false, null);
    }

    private AdminResult setBlocked(String actor, Member member, boolean blocked, String reason) {
        db.write(d -> {
            subjects.setBlocked(d, QuotaLayers.memberSubject(member.key()), blocked, reason);
            audit.record(actor, blocked ? "block" : "unblock", member.key(), reason);
            return null;
        });
        return new AdminResult(true, member.key() + (blocked ? " is blocked: their requests are refused until unblocked."
                : " may ask for images again."));
    }

    @Override
    public AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits) {
        String key = platform.id() + ":" + communityId;
        String override;
        if (limits == null) {
            override = null;
        } else {
            try {
                override = QuotaSettings.checkLimits("pool", limits, true).stream().map(LimitSpec::toString).collect(Collectors.joining(","));
            } catch (IllegalArgumentException e) {
                return new AdminResult(false, e.getMessage().replaceFirst("^pool", "Pool limit"));
            }
        }
        db.write(d -> {
            subjects.setOverride(d, QuotaLayers.poolSubject(key), override);
            audit.record(actor, "set-pool", key, override == null ? "(bot profile default)" : override.isEmpty() ? "(none)" : override);
            return null;
        });
        String word = QuotaText.communityWord(platform);
        return new AdminResult(true, override == null ? "This " + word + " " + key + " is back on its bot's default pool."
                : override.isEmpty() ? "This " + word + " " + key + " has no shared pool now."
                : "This " + word + " " + key + " now shares " + override.replace(",", ", ") + ".");
    }

    @Override
    public List<AuditEntry> audit(String target, int limit) {
        return audit.recent(target, limit);
    }
}
