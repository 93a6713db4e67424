package dev.pictor.core;

import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

import java.time.Duration;
import java.util.Objects;

/**
 * A quota refusal as data: whose allowance cannot pay for {@code asked} images now (the member's own, their
 * community's shared pool, or the whole bot's), which limit, what is left on it and how long until the images fit.
 * {@link #refusal()} names the catalog's sentence for it, with these as arguments (the wait in units, by the catalog).
 *
 * @param platform  the member's platform, which names their community ("server" on Discord, "group" on Telegram)
 * @param remaining what is left on that limit
 * @param refill    how long until {@code asked} images fit, or null when they never can (more than the limit)
 */
public record QuotaSpent(Holder holder, Platform platform, LimitSpec limit, long remaining, int asked, Duration refill) {
    /** Whose allowance ran out: the member's own, their community's shared pool, or the whole bot's. */
    public enum Holder { MEMBER, COMMUNITY, BOT }

    public QuotaSpent {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(limit, "limit");
    }

    /** Whether more is asked than the limit ever holds, so that waiting does not help. */
    public boolean never() {
        return refill == null || asked > limit.images();
    }

    public Refusal refusal() {
        Text text;
        if (never()) {
            text = switch (holder) {
                case MEMBER -> Text.of(Msg.QUOTA_TOO_MANY_MEMBER, "images", limit.images(), "per", limit.per());
                case COMMUNITY -> Text.of(Msg.QUOTA_TOO_MANY_COMMUNITY, "platform", platform.id(), "images", limit.images(), "per", limit.per());
                case BOT -> Text.of(Msg.QUOTA_TOO_MANY_BOT, "images", limit.images(), "per", limit.per());
            };
            return Refusal.of(Refusal.Reason.QUOTA_SPENT, text);
        }
        if (remaining <= 0) {
            text = switch (holder) {
                case MEMBER -> Text.of(Msg.QUOTA_USED_MEMBER, "images", limit.images(), "window", limit.window(), "wait", refill);
                case COMMUNITY -> Text.of(Msg.QUOTA_USED_COMMUNITY, "platform", platform.id(), "images", limit.images(),
                        "window", limit.window(), "wait", refill);
                case BOT -> Text.of(Msg.QUOTA_USED_BOT, "images", limit.images(), "window", limit.window(), "wait", refill);
            };
        } else {
            text = switch (holder) {
                case MEMBER -> Text.of(Msg.QUOTA_SHORT_MEMBER, "asked", asked, "remaining", remaining,
                        "window", limit.window(), "wait", refill);
                case COMMUNITY -> Text.of(Msg.QUOTA_SHORT_COMMUNITY, "platform", platform.id(), "asked", asked,
                        "remaining", remaining, "images", limit.images(), "window", limit.window(), "wait", refill);
                case BOT -> Text.of(Msg.QUOTA_SHORT_BOT, "asked", asked, "remaining", remaining, "images", limit.images(),
                        "window", limit.window(), "wait", refill);
            };
        }
        return new Refusal(Refusal.Reason.QUOTA_SPENT, text, refill);
    }
}
