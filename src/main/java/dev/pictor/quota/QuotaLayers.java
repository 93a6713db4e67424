package dev.pictor.quota;

import dev.pictor.core.Requester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which layers of quota apply to a request, and with which limits: a pure policy over the {@link QuotaSettings} and
 * the subjects' rows as read from {@code quota_subjects} (no database here).
 *
 * <p>Member first, always: the plan is an admin's override, else the role plan the adapter resolved, else the default
 * plan (names no longer configured are skipped). Then the community's shared pool, when the request names a community
 * and the pool has limits (an admin's override of the pool, even "none", wins over the bot profile's). Last the bot
 * profile's daily cap, when it has one.
 */
final class QuotaLayers {
    private static final Logger log = LoggerFactory.getLogger(QuotaLayers.class);

    /** Who holds a layer's bucket. */
    enum Kind { MEMBER, POOL, BOT }

    /**
     * One layer: its subject (the bucket's key and the row's), the plan's name (member layer only), its limits, and
     * the spec that, written to {@code applied_spec}, says which limits the bucket was last given.
     */
    record Layer(Kind kind, String subject, String planName, List<String> limits, String spec) {
    }

    /** A subject's row in {@code quota_subjects}: the admin's settings and the limits last applied to its bucket. */
    record Row(String override, boolean blocked, long extra, String applied, long version) {
    }

    /** The subjects a request may touch (member, pool, bot; pool and bot may be null). */
    record Subjects(String member, String pool, String bot) {
    }

    private final QuotaSettings settings;

    QuotaLayers(QuotaSettings settings) {
        this.settings = settings;
    }

    static String memberSubject(String memberKey) {
        return "member:" + memberKey;
    }

    static String poolSubject(String communityKey) {
        return "pool:" + communityKey;
    }

    static String extraKey(String memberSubject) {
        return "extra:" + memberSubject;
    }

    /** The rows to read for {@code who}: their member subject, their community's pool, their bot's cap. */
    Subjects subjects(Requester who) {
        String pool = who.communityKey() == null ? null : poolSubject(who.communityKey());
        String bot = settings.profile(who.botProfile()).dailyCap() == null ? null : "bot:" + who.botProfile();
        return new Subjects(memberSubject(who.memberKey()), pool, bot);
    }

    /**
     * The row that every charge of {@code who}'s bot (or community) passes through, if any: the bot profile's daily
     * cap, else the community's pool. Charges through it queue in the process ({@link SharedRowGate}).
     */
    String sharedSubject(Requester who) {
        Subjects s = subjects(who);
        return s.bot() != null ? s.bot() : s.pool();
    }

    /** The layers that apply to {@code who}, member first, given the subjects' rows (absent: never written). */
    List<Layer> layers(Requester who, Map<String, Row> rows) {
        Subjects s = subjects(who);
        QuotaSettings.ProfileQuota profile = settings.profile(who.botProfile());
        var layers = new ArrayList<Layer>(3);
        String plan = planOf(who, rows.get(s.member()));
        List<String> planLimits = settings.plans().get(plan);
        layers.add(new Layer(Kind.MEMBER, s.member(), plan, planLimits, "plan " + plan + " " + String.join(",", planLimits)));
        if (s.pool() != null) {
            Row row = rows.get(s.pool());
            List<String> limits = row != null && row.override() != null
                    ? (row.override().isEmpty() ? List.of() : Arrays.asList(row.override().split(",")))
                    : profile.communityPool();
            if (!limits.isEmpty()) {
                layers.add(new Layer(Kind.POOL, s.pool(), null, limits, "pool " + String.join(",", limits)));
            }
        }
        if (s.bot() != null) {
            String cap = profile.dailyCap() + "/1d";
            layers.add(new Layer(Kind.BOT, s.bot(), null, List.of(cap), "cap " + cap));
        }
        return layers;
    }

    /** The member's plan: override, else role plan, else default; names no longer configured are skipped. */
    String planOf(Requester who, Row row) {
        if (row != null && row.override() != null) {
            if (settings.plans().containsKey(row.override())) return row.override();
            log.warn("{} has the plan {} which is no longer configured; using their role or default plan", who.memberKey(), row.override());
        }
        if (who.rolePlan() != null && settings.plans().containsKey(who.rolePlan())) return who.rolePlan();
        return settings.defaultPlan();
    }
}
