package dev.pictor.core.text;

import dev.pictor.core.Platform;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.port.QuotaView;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code /quota} answer in a member's language: plan, each limit, extra images, the community pool, and what they
 * spent today when prices are set; one line each.
 */
public final class QuotaSummary {
    private QuotaSummary() {
    }

    public static String render(Locale locale, QuotaView view, Platform platform) {
        var out = new StringBuilder();
        if (view.blocked()) out.append(Messages.render(locale, Msg.QUOTA_VIEW_BLOCKED)).append('\n');
        out.append(Messages.render(locale, Msg.QUOTA_VIEW_PLAN, "plan", view.plan())).append('\n');
        for (QuotaView.Limit limit : view.limits()) out.append("• ").append(line(locale, limit)).append('\n');
        if (view.extra() > 0) {
            out.append("• ").append(Messages.render(locale, Msg.QUOTA_VIEW_EXTRA, "extra", view.extra())).append('\n');
        }
        if (!view.pool().isEmpty()) {
            out.append(Messages.render(locale, Msg.QUOTA_VIEW_POOL, "platform", platform.id())).append('\n');
            for (QuotaView.Limit limit : view.pool()) out.append("• ").append(line(locale, limit)).append('\n');
        }
        if (view.spend() != null) {
            var spend = view.spend();
            out.append(spend.cap() == null
                    ? Messages.render(locale, Msg.QUOTA_VIEW_SPENT, "spent", spend.spent(), "currency", spend.currency())
                    : Messages.render(locale, Msg.QUOTA_VIEW_SPENT_CAP, "spent", spend.spent(), "cap", spend.cap(),
                    "currency", spend.currency())).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** {@code "25 per day: 3 left, the next one comes back in 3 h 12 min"} in English. */
    public static String line(Locale locale, QuotaView.Limit limit) {
        Optional<LimitSpec> spec = parse(limit.name());
        String head = spec.map(s -> Messages.render(locale, Msg.QUOTA_VIEW_HEAD, "images", s.images(), "per", s.per()))
                .orElse(limit.name());
        if (limit.remaining() >= limit.capacity()) {
            return Messages.render(locale, Msg.QUOTA_VIEW_FULL, "head", head, "capacity", limit.capacity());
        }
        if (limit.nextIn() == null || limit.nextIn().isZero()) {
            return Messages.render(locale, Msg.QUOTA_VIEW_LEFT, "head", head, "remaining", limit.remaining());
        }
        if (limit.fullIn() != null && limit.fullIn().compareTo(limit.nextIn()) > 0) {
            return Messages.render(locale, Msg.QUOTA_VIEW_NEXT_ALL, "head", head, "remaining", limit.remaining(),
                    "next", limit.nextIn(), "full", limit.fullIn());
        }
        return Messages.render(locale, Msg.QUOTA_VIEW_NEXT, "head", head, "remaining", limit.remaining(), "next", limit.nextIn());
    }

    private static Optional<LimitSpec> parse(String name) {
        try {
            return Optional.of(LimitSpec.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
