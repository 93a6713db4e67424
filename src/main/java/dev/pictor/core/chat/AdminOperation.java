package dev.pictor.core.chat;

import dev.pictor.core.Platform;

import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.AdminPort.AdminResult;
import dev.pictor.core.port.AdminPort.Member;

import java.util.Objects;

/**
 * One quota change an admin asked for, on any platform or the terminal: the adapter builds it from its own event
 * (using {@link AdminWords} for what was typed) and checks that the actor may make it; {@link #run} makes it
 * through the {@link AdminPort}, which writes the audit log.
 */
public sealed interface AdminOperation {
    AdminResult run(AdminPort admin, String actor);

    /**
     * Whether the change holds in every community the bot is in (a member's plan, extra images, reset, block),
     * so that only the bot's own admins may make it; false for a change to one community's pool or spend cap.
     */
    default boolean botWide() {
        return true;
    }

    /** {@code plan} null: back to the role plan or the default plan. */
    record SetPlan(Member member, String plan) implements AdminOperation {
        public SetPlan {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.setPlan(actor, member, plan);
        }
    }

    record Grant(Member member, int images) implements AdminOperation {
        public Grant {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.grant(actor, member, images);
        }
    }

    record Reset(Member member) implements AdminOperation {
        public Reset {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.reset(actor, member);
        }
    }

    record Block(Member member, String reason) implements AdminOperation {
        public Block {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.block(actor, member, reason);
        }
    }

    record Unblock(Member member) implements AdminOperation {
        public Unblock {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.unblock(actor, member);
        }
    }

    /** The language of a community ({@code platform:community}); {@code language} null: back to the bot's. */
    record SetLanguage(Platform platform, String community, String language) implements AdminOperation {
        public SetLanguage {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(community, "community");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.setLanguage(actor, platform, community, language);
        }

        @Override
        public boolean botWide() {
            return false;
        }
    }

    /** A community's shared pool ({@code platform:community}), as {@link AdminWords#pool} read it. */
    record SetPool(Platform platform, String community, AdminWords.PoolChange change) implements AdminOperation {
        public SetPool {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(community, "community");
            Objects.requireNonNull(change, "change");
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.setPool(actor, platform, community, change.limits());
        }

        @Override
        public boolean botWide() {
            return false;
        }
    }

    /**
     * A community's daily spend cap ({@code platform:community}): {@code cap} as the admin wrote it, an amount,
     * {@code off} or {@code default} (the {@link AdminPort} reads it and refuses anything else).
     */
    record SetSpendCap(Platform platform, String community, String cap) implements AdminOperation {
        public SetSpendCap {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(community, "community");
            cap = cap == null ? "" : cap.strip();
        }

        @Override
        public AdminResult run(AdminPort admin, String actor) {
            return admin.setSpendCap(actor, platform, community, cap);
        }

        @Override
        public boolean botWide() {
            return false;
        }
    }
}
