package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.port.AdminPort;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test admin port: records each operation as "action actor target detail" and answers that it was done. */
final class RecordingAdmin implements AdminPort {
    final List<String> operations = new CopyOnWriteArrayList<>();

    private AdminResult record(String action, String actor, String target, Object detail) {
        String line = action + " " + actor + " " + target + (detail == null ? "" : " " + detail);
        operations.add(line);
        return new AdminResult(true, "Done: " + action + " " + target + (detail == null ? "" : " " + detail) + ".");
    }

    @Override
    public AdminResult setPlan(String actor, Member member, String plan) {
        return record("plan", actor, member.key(), plan);
    }

    @Override
    public AdminResult grant(String actor, Member member, int images) {
        return record("grant", actor, member.key(), images);
    }

    @Override
    public AdminResult reset(String actor, Member member) {
        return record("reset", actor, member.key(), null);
    }

    @Override
    public AdminResult block(String actor, Member member, String reason) {
        return record("block", actor, member.key(), reason);
    }

    @Override
    public AdminResult unblock(String actor, Member member) {
        return record("unblock", actor, member.key(), null);
    }

    @Override
    public AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits) {
        return record("pool", actor, platform.id() + ":" + communityId, limits);
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
