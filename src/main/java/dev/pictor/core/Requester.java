package dev.pictor.core;

import java.util.Objects;

/**
 * Who asked: the platform, the member's id there, a name to show, the community (server or group) if any,
 * the bot profile that received the command, and the plan the adapter resolved from roles (null: the quota's own
 * choice, i.e. an override or the default plan).
 */
public record Requester(Platform platform, String userId, String displayName, String communityId, String botProfile,
                        String rolePlan) {
    public Requester {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(userId, "userId");
        displayName = displayName == null ? userId : displayName;
    }

    public static Requester of(Platform platform, String userId) {
        return new Requester(platform, userId, userId, null, null, null);
    }

    /** A stable key for this member on this platform, e.g. {@code discord:1234}. */
    public String memberKey() {
        return platform.id() + ":" + userId;
    }

    /** A stable key for the community, e.g. {@code telegram:-1001}, or null outside one. */
    public String communityKey() {
        return communityId == null ? null : platform.id() + ":" + communityId;
    }
}
