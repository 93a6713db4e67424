package dev.pictor.core;

import dev.pictor.core.port.QuotaView;

import java.time.Duration;
import java.util.Optional;

/**
 * The sentences members read about their quota, shared by every adapter: refusals ("You have used your 25 images
 * for today; the next one comes back in 3 h 12 min.") and the {@code /quota} summary.
 */
public final class QuotaText {
    private QuotaText() {
    }

    /** Whose allowance ran out: the member's own, their community's shared pool, or the whole bot's. */
    public enum Holder { MEMBER, COMMUNITY, BOT }

    /** What a community is called on a platform: a server on Discord, a group on Telegram. */
    public static String communityWord(Platform platform) {
        if (platform == Platform.DISCORD) return "server";
        if (platform == Platform.TELEGRAM) return "group";
        return "community";
    }

    /**
     * The refusal for a limit that cannot pay for {@code asked} images now.
     *
     * @param remaining what is left on that limit
     * @param wait      how long until {@code asked} images fit, or null when they never can (more than the limit)
     */
    public static Refusal spent(Holder holder, Platform platform, LimitSpec limit, long remaining, int asked, Duration wait) {
        String community = "This " + communityWord(platform);
        if (wait == null || asked > limit.images()) {
            String sentence = switch (holder) {
                case MEMBER -> "Your plan allows at most " + limit.images() + " " + images(limit.images()) + " " + limit.per();
                case COMMUNITY -> community + " shares at most " + limit.images() + " " + images(limit.images()) + " " + limit.per();
                case BOT -> "This bot makes at most " + limit.images() + " " + images(limit.images()) + " " + limit.per();
            };
            return new Refusal(Refusal.Reason.QUOTA_SPENT, sentence + "; ask for " + limit.images() + " or fewer.", null);
        }
        String when = duration(wait);
        String sentence;
        if (remaining <= 0) {
            sentence = switch (holder) {
                case MEMBER -> "You have used your " + limit.images() + " " + images(limit.images()) + " for " + limit.window();
                case COMMUNITY -> community + " has used its " + limit.images() + " shared " + images(limit.images()) + " for " + limit.window();
                case BOT -> "This bot has made its " + limit.images() + " " + images(limit.images()) + " for " + limit.window();
            } + "; the next one comes back in " + when + ".";
        } else {
            String left = remaining + " " + (remaining == 1 ? "is" : "are") + " left";
            sentence = switch (holder) {
                case MEMBER -> "You asked for " + asked + " images but have " + remaining + " left for " + limit.window();
                case COMMUNITY -> "You asked for " + asked + " images but only " + left + " of this " + communityWord(platform)
                        + "'s shared " + limit.images() + " for " + limit.window();
                case BOT -> "You asked for " + asked + " images but only " + left + " of this bot's " + limit.images()
                        + " for " + limit.window();
            } + "; ask for " + remaining + " or wait " + when + ".";
        }
        return new Refusal(Refusal.Reason.QUOTA_SPENT, sentence, wait);
    }

    /** The refusal for a member an admin has blocked. */
    public static Refusal blocked() {
        return Refusal.of(Refusal.Reason.BLOCKED,
                "An admin has paused your image requests here. Ask an admin if you think this is a mistake.");
    }

    /** The refusal of every request while pictor cannot record jobs (its database was deleted or replaced). */
    public static Refusal cannotRecordJobs() {
        return Refusal.of(Refusal.Reason.STORAGE_DOWN, "pictor cannot record jobs right now, so it is not making images;"
                + " nothing was charged. Its admins have been told; please try again later.");
    }

    /** The {@code /quota} answer: plan, each limit, extra images, the community pool; one line each. */
    public static String describe(QuotaView view, Platform platform) {
        var out = new StringBuilder();
        if (view.blocked()) {
            out.append("An admin has paused your image requests here.\n");
        }
        out.append("Your plan: ").append(view.plan()).append('\n');
        for (QuotaView.Limit limit : view.limits()) out.append("• ").append(line(limit)).append('\n');
        if (view.extra() > 0) {
            out.append("• ").append(view.extra()).append(" extra ").append(images(view.extra()))
                    .append(" from an admin, used when your plan runs out\n");
        }
        if (!view.pool().isEmpty()) {
            out.append("Shared by this ").append(communityWord(platform)).append(":\n");
            for (QuotaView.Limit limit : view.pool()) out.append("• ").append(line(limit)).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** {@code "25 per day: 3 left, the next one comes back in 3 h 12 min"}. */
    public static String line(QuotaView.Limit limit) {
        Optional<LimitSpec> spec = parse(limit.name());
        String head = spec.map(s -> s.images() + " " + s.per()).orElse(limit.name());
        if (limit.remaining() >= limit.capacity()) {
            return head + ": all " + limit.capacity() + " left";
        }
        String line = head + ": " + limit.remaining() + " left";
        if (limit.nextIn() != null && !limit.nextIn().isZero()) {
            line += ", the next one comes back in " + duration(limit.nextIn());
            if (limit.fullIn() != null && limit.fullIn().compareTo(limit.nextIn()) > 0) {
                line += ", all in " + duration(limit.fullIn());
            }
        }
        return line;
    }

    /** A wait as members read it: {@code "45 s"}, {@code "3 min 20 s"}, {@code "3 h 12 min"}, {@code "2 d 4 h"}. */
    public static String duration(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        long days = seconds / 86_400, hours = seconds % 86_400 / 3_600, minutes = seconds % 3_600 / 60, secs = seconds % 60;
        if (days > 0) return days + " d" + (hours > 0 ? " " + hours + " h" : "");
        if (hours > 0) {
            long mins = minutes + (secs > 0 ? 1 : 0);
            if (mins == 60) return (hours + 1) + " h";
            return hours + " h" + (mins > 0 ? " " + mins + " min" : "");
        }
        if (minutes >= 10) return (minutes + (secs > 0 ? 1 : 0)) + " min";
        if (minutes > 0) return minutes + " min" + (secs > 0 ? " " + secs + " s" : "");
        return secs + " s";
    }

    private static Optional<LimitSpec> parse(String name) {
        try {
            return Optional.of(LimitSpec.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String images(long n) {
        return n == 1 ? "image" : "images";
    }
}
