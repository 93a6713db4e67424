package dev.pictor.quota;

import dev.pictor.core.LimitSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quota configuration, checked when it is built; every mistake names its key ({@code quota.plans.vip[1]}).
 *
 * @param plans       named plans, each a list of limits such as {@code ["3/1m", "25/1d"]} (YAML {@code quota.plans})
 * @param defaultPlan the plan of members with no role plan or override ({@code quota.default-plan})
 * @param profiles    per bot profile (file name in {@code bots/}): its community pool and daily cap; may be empty
 */
public record QuotaSettings(Map<String, List<String>> plans, String defaultPlan, Map<String, ProfileQuota> profiles) {
    public QuotaSettings {
        if (plans == null || plans.isEmpty()) throw new IllegalArgumentException("quota.plans: at least one plan is needed");
        var copy = new LinkedHashMap<String, List<String>>();
        plans.forEach((name, limits) -> {
            checkLimits("quota.plans." + name, limits, false);
            copy.put(name, List.copyOf(limits));
        });
        plans = java.util.Collections.unmodifiableMap(copy);
        if (defaultPlan == null || !plans.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("quota.default-plan: " + defaultPlan + " is not one of the plans " + plans.keySet());
        }
        profiles = profiles == null ? Map.of() : Map.copyOf(profiles);
        profiles.forEach((name, p) -> checkLimits("bots/" + name + ": quota.community-pool", p.communityPool(), true));
    }

    public static QuotaSettings of(Map<String, List<String>> plans, String defaultPlan) {
        return new QuotaSettings(plans, defaultPlan, Map.of());
    }

    /** A plan's limits, parsed. */
    public List<LimitSpec> limits(String plan) {
        List<String> l = plans.get(plan);
        if (l == null) throw new IllegalArgumentException("no plan " + plan);
        return l.stream().map(LimitSpec::parse).toList();
    }

    public ProfileQuota profile(String name) {
        return name == null ? ProfileQuota.NONE : profiles.getOrDefault(name, ProfileQuota.NONE);
    }

    /**
     * What one bot profile adds on top of members' plans.
     *
     * @param communityPool limits shared by all members of each community (server, group) the bot serves; empty:
     *                      none. Admins may change it per community.
     * @param dailyCap      most images the whole bot makes per UTC day, or null for no cap
     */
    public record ProfileQuota(List<String> communityPool, Integer dailyCap) {
        public static final ProfileQuota NONE = new ProfileQuota(List.of(), null);

        public ProfileQuota {
            communityPool = communityPool == null ? List.of() : List.copyOf(communityPool);
            if (dailyCap != null && dailyCap < 1) throw new IllegalArgumentException("quota.daily-cap must be at least 1, not " + dailyCap);
        }
    }

    /** Checks a list of limits: each parses, and no two share a period. */
    static List<LimitSpec> checkLimits(String key, List<String> limits, boolean mayBeEmpty) {
        if (limits == null || (limits.isEmpty() && !mayBeEmpty)) throw new IllegalArgumentException(key + ": at least one limit is needed, e.g. [\"25/1d\"]");
        var parsed = new ArrayList<LimitSpec>();
        var periods = new HashSet<String>();
        for (int i = 0; i < limits.size(); i++) {
            LimitSpec s;
            try {
                s = LimitSpec.parse(limits.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage());
            }
            if (!periods.add(s.periodId())) throw new IllegalArgumentException(key + "[" + i + "]: two limits for the same period " + s.periodId());
            parsed.add(s);
        }
        return parsed;
    }
}
