package dev.pictor.quota;

import dev.pictor.core.Platform;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.port.AdminPort.AdminResult;
import dev.pictor.core.port.AdminPort.AuditEntry;
import dev.pictor.core.port.AdminPort.Member;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.text.Languages;
import dev.pictor.store.AuditLog;
import dev.pictor.store.CommunityLanguageTable;
import dev.pictor.store.Database;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin operations on quotas (plan, grant, reset, block, pool), each written in one transaction with its entry
 * in the audit log.
 */
final class QuotaAdmin {
    private static final int MAX_GRANT = 1_000_000;

    private final Database db;
    private final QuotaSettings settings;
    private final QuotaSubjects subjects;
    private final LayerBuckets buckets;
    private final AuditLog audit;
    private final CommunityLanguageTable languages;

    QuotaAdmin(Database db, QuotaSettings settings, QuotaSubjects subjects, LayerBuckets buckets, AuditLog audit,
               CommunityLanguageTable languages) {
        this.languages = languages;
        this.db = db;
        this.settings = settings;
        this.subjects = subjects;
        this.buckets = buckets;
        this.audit = audit;
    }

    public Set<String> plans() {
        return settings.plans().keySet();
    }

    public AdminResult setPlan(String actor, Member member, String plan) {
        if (plan != null && !settings.plans().containsKey(plan)) {
            return new AdminResult(false, Text.of(Msg.ADMIN_NO_PLAN, "plan", plan, "plans", String.join(", ", settings.plans().keySet())));
        }
        db.write(d -> {
            subjects.setOverride(d, QuotaLayers.memberSubject(member.key()), plan);
            audit.record(actor, "set-plan", member.key(), plan == null ? "(role or default plan)" : plan);
            return null;
        });
        return new AdminResult(true, plan == null
                ? Text.of(Msg.ADMIN_PLAN_DEFAULT, "member", member.key())
                : Text.of(Msg.ADMIN_PLAN, "member", member.key(), "plan", plan, "limits", String.join(", ", settings.plans().get(plan))));
    }

    public AdminResult grant(String actor, Member member, int images) {
        if (images < 1 || images > MAX_GRANT) {
            return new AdminResult(false, Text.of(Msg.ADMIN_GRANT_RANGE, "max", MAX_GRANT, "images", images));
        }
        long total = db.write(d -> {
            String subject = QuotaLayers.memberSubject(member.key());
            subjects.addExtra(d, subject, images);
            audit.record(actor, "grant", member.key(), "+" + images);
            return subjects.extra(d, subject, images);
        });
        return new AdminResult(true, Text.of(Msg.ADMIN_GRANTED, "member", member.key(), "images", images, "total", total));
    }

    public AdminResult reset(String actor, Member member) {
        String subject = QuotaLayers.memberSubject(member.key());
        db.write(d -> {
            buckets.refill(subject, Limits.configuration(settings.limits(settings.defaultPlan())));
            audit.record(actor, "reset", member.key(), null);
            return null;
        });
        return new AdminResult(true, Text.of(Msg.ADMIN_RESET, "member", member.key()));
    }

    public AdminResult block(String actor, Member member, String reason) {
        return setBlocked(actor, member, true, reason);
    }

    public AdminResult unblock(String actor, Member member) {
        return setBlocked(actor, member, false, null);
    }

    private AdminResult setBlocked(String actor, Member member, boolean blocked, String reason) {
        db.write(d -> {
            subjects.setBlocked(d, QuotaLayers.memberSubject(member.key()), blocked, reason);
            audit.record(actor, blocked ? "block" : "unblock", member.key(), reason);
            return null;
        });
        return new AdminResult(true, Text.of(blocked ? Msg.ADMIN_BLOCKED : Msg.ADMIN_UNBLOCKED, "member", member.key()));
    }

    public AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits) {
        String key = platform.id() + ":" + communityId;
        String override;
        if (limits == null) {
            override = null;
        } else {
            var parsed = new ArrayList<LimitSpec>();
            var periods = new HashSet<String>();
            for (String limit : limits) {
                LimitSpec spec;
                try {
                    spec = LimitSpec.parse(limit);
                } catch (IllegalArgumentException e) {
                    return new AdminResult(false, Text.of(Msg.ADMIN_POOL_BAD, "limit", limit));
                }
                if (!periods.add(spec.periodId())) {
                    return new AdminResult(false, Text.of(Msg.ADMIN_POOL_SAME_PERIOD, "limit", limit, "period", spec.periodId()));
                }
                parsed.add(spec);
            }
            override = parsed.stream().map(LimitSpec::toString).collect(Collectors.joining(","));
        }
        db.write(d -> {
            subjects.setOverride(d, QuotaLayers.poolSubject(key), override);
            audit.record(actor, "set-pool", key, override == null ? "(bot profile default)" : override.isEmpty() ? "(none)" : override);
            return null;
        });
        return new AdminResult(true, override == null ? Text.of(Msg.ADMIN_POOL_DEFAULT, "platform", platform.id(), "community", key)
                : override.isEmpty() ? Text.of(Msg.ADMIN_POOL_OFF, "platform", platform.id(), "community", key)
                : Text.of(Msg.ADMIN_POOL, "platform", platform.id(), "community", key, "limits", String.join(", ", override.split(","))));
    }

    public AdminResult setLanguage(String actor, Platform platform, String communityId, String language) {
        Locale chosen = null;
        if (language != null) {
            var shipped = Languages.supported(language);
            if (shipped.isEmpty()) {
                return new AdminResult(false, Text.of(Msg.ADMIN_LANGUAGE_UNKNOWN, "language", language, "languages", Languages.tags()));
            }
            chosen = shipped.get();
        }
        String key = platform.id() + ":" + communityId;
        Locale set = chosen;
        db.write(d -> {
            languages.set(platform, communityId, set);
            audit.record(actor, "set-language", key, set == null ? "(bot profile default)" : Languages.tag(set));
            return null;
        });
        languages.forget(platform, communityId);
        return new AdminResult(true, set == null ? Text.of(Msg.ADMIN_LANGUAGE_DEFAULT, "platform", platform.id(), "community", key)
                : Text.of(Msg.ADMIN_LANGUAGE, "platform", platform.id(), "community", key, "language", Languages.tag(set)));
    }

    public List<AuditEntry> audit(String target, int limit) {
        return audit.recent(target, limit);
    }
}
