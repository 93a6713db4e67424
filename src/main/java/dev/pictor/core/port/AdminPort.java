package dev.pictor.core.port;

import dev.pictor.core.Platform;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Text;


import java.time.Instant;
import java.util.Locale;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What community admins may change about quotas, for the adapters (chat commands) and the terminal
 * ({@code pictor quota}). Whether the actor is an admin is the adapter's check; every change is written to the audit
 * log with the actor's key. Each operation answers with what changed, as a catalog sentence for the admin.
 */
public interface AdminPort {
    /** Sets a member's plan; {@code plan} null removes the override (back to role plan or default). */
    AdminResult setPlan(String actor, Member member, String plan);

    /** Gives a member {@code images} extra images, spent once their plan's limits run out; they do not expire. */
    AdminResult grant(String actor, Member member, int images);

    /** Gives a member their plan's full allowance back (extra images and plan override stay). */
    AdminResult reset(String actor, Member member);

    /** Refuses every request of a member until unblocked; {@code reason} is kept in the audit log. */
    AdminResult block(String actor, Member member, String reason);

    AdminResult unblock(String actor, Member member);

    /**
     * Sets a community's shared pool: {@code limits} like {@code ["200/1d"]}; an empty list turns the pool off for
     * that community; null goes back to its bot profile's default.
     */
    AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits);

    /**
     * Sets the language a community's members are answered in when pictor does not ship their own: {@code language}
     * a tag such as {@code de} or {@code pt-BR} ({@link dev.pictor.core.text.Languages#supported}); null goes back to
     * the bot profile's language.
     */
    AdminResult setLanguage(String actor, Platform platform, String communityId, String language);

    /**
     * Sets a community's daily spend cap: {@code cap} as the admin wrote it, an amount in the configured currency
     * ({@code 5}, {@code 0.50}), {@code off} (none for that community) or {@code default} (its bot profile's, else the
     * config's); anything else is refused with a sentence saying how to write it.
     */
    AdminResult setSpendCap(String actor, Platform platform, String communityId, String cap);

    /** The configured plan names. */
    Set<String> plans();

    /** The newest audit entries about {@code target} (a member or community key), or about anything when null. */
    List<AuditEntry> audit(String target, int limit);

    /** A member on a platform, e.g. {@code discord:1234}. */
    record Member(Platform platform, String userId) {
        public Member {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(userId, "userId");
        }

        public String key() {
            return platform + ":" + userId;
        }
    }

    /** The answer to an admin: whether anything changed, and what to tell them (rendered in their language). */
    record AdminResult(boolean done, Text text) {
        public String message(Locale locale) {
            return Messages.render(locale, text);
        }
    }

    /** One audit row: who did what to whom, when. */
    record AuditEntry(Instant at, String actor, String action, String target, String detail) {
    }
}
