package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.port.AdminPort;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test admin port: records each operation as "action actor target detail" and answers with the real quota's
 * sentence for it (the grant's total is the grant alone, a pool's limits as given).
 */
final class RecordingAdmin implements AdminPort {
    final List<String> operations = new CopyOnWriteArrayList<>();

    private AdminResult record(String action, String actor, String target, Object detail, Text answer) {
        String line = action + " " + actor + " " + target + (detail == null ? "" : " " + detail);
        operations.add(line);
        return new AdminResult(true, answer);
    }

    @Override
    public AdminResult setPlan(String actor, Member member, String plan) {
        return record("plan", actor, member.key(), plan, plan == null ? Text.of(Msg.ADMIN_PLAN_DEFAULT, "member", member.key())
                : Text.of(Msg.ADMIN_PLAN, "member", member.key(), "plan", plan, "limits", "1/1d"));
    }

    @Override
    public AdminResult grant(String actor, Member member, int images) {
        return record("grant", actor, member.key(), images,
                Text.of(Msg.ADMIN_GRANTED, "member", member.key(), "images", images, "total", images));
    }

    @Override
    public AdminResult reset(String actor, Member member) {
        return record("reset", actor, member.key(), null, Text.of(Msg.ADMIN_RESET, "member", member.key()));
    }

    @Override
    public AdminResult block(String actor, Member member, String reason) {
        return record("block", actor, member.key(), reason, Text.of(Msg.ADMIN_BLOCKED, "member", member.key()));
    }

    @Override
    public AdminResult unblock(String actor, Member member) {
        return record("unblock", actor, member.key(), null, Text.of(Msg.ADMIN_UNBLOCKED, "member", member.key()));
    }

    @Override
    public AdminResult setLanguage(String actor, Platform platform, String communityId, String language) {
        String community = platform.id() + ":" + communityId;
        return record("language", actor, community, language, language == null
                ? Text.of(Msg.ADMIN_LANGUAGE_DEFAULT, "platform", platform.id(), "community", community)
                : Text.of(Msg.ADMIN_LANGUAGE, "platform", platform.id(), "community", community, "language", language));
    }

    @Override
    public AdminResult setSpendCap(String actor, Platform platform, String communityId, String cap) {
        String community = platform.id() + ":" + communityId;
        return record("spendcap", actor, community, cap, cap.equals("off") ? Text.of(Msg.ADMIN_SPEND_CAP_OFF, "platform", platform.id(), "community", community)
                : cap.equals("default") ? Text.of(Msg.ADMIN_SPEND_CAP_DEFAULT, "platform", platform.id(), "community", community)
                : Text.of(Msg.ADMIN_SPEND_CAP, "platform", platform.id(), "community", community, "cap", new java.math.BigDecimal(cap), "currency", "USD"));
    }

    @Override
    public AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits) {
        String community = platform.id() + ":" + communityId;
        return record("pool", actor, community, limits, limits == null
                ? Text.of(Msg.ADMIN_POOL_DEFAULT, "platform", platform.id(), "community", community)
                : limits.isEmpty() ? Text.of(Msg.ADMIN_POOL_OFF, "platform", platform.id(), "community", community)
                : Text.of(Msg.ADMIN_POOL, "platform", platform.id(), "community", community, "limits", String.join(", ", limits)));
    }

    @Override
    public Set<String> plans() {
        return Set.of("free", "supporter");
    }

    @Override
    public List<AuditEntry> audit(String target, int limit) {
        return List.of();
    }
}
