package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.config.PictorConfig;
import dev.pictor.config.QuotaLimit;
import dev.pictor.config.SpendCapsConfig;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendSettings;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The quota's settings from a checked configuration: plans, default plan, each bot profile's pool and daily cap; and
 * the daily spend caps.
 */
public final class QuotaWiring {
    private QuotaWiring() {
    }

    public static QuotaSettings settings(PictorConfig config, List<BotProfile> bots) {
        var plans = new LinkedHashMap<String, List<String>>();
        config.quota().plans().forEach((name, limits) -> plans.put(name, limits.stream().map(QuotaLimit::toString).toList()));
        var profiles = new LinkedHashMap<String, QuotaSettings.ProfileQuota>();
        for (BotProfile bot : bots) {
            List<String> pool = bot.communityPool() == null ? List.of()
                    : bot.communityPool().plan() != null ? plans.getOrDefault(bot.communityPool().plan(), List.of())
                    : bot.communityPool().limits().stream().map(QuotaLimit::toString).toList();
            profiles.put(bot.name(), new QuotaSettings.ProfileQuota(pool, bot.globalDailyCap()));
        }
        return new QuotaSettings(plans, config.quota().defaultPlan(), profiles);
    }

    /** The daily spend caps: the config's, each bot profile's over them, and the zone of the day. */
    public static SpendSettings spend(PictorConfig config, List<BotProfile> bots) {
        var profiles = new LinkedHashMap<String, SpendSettings.Caps>();
        for (BotProfile bot : bots) if (bot.spendCaps() != null) profiles.put(bot.name(), caps(bot.spendCaps()));
        return new SpendSettings(config.currency(), caps(config.spendCaps()), profiles, config.spendCaps().zone(),
                SpendSettings.priced(config.catalog()));
    }

    private static SpendSettings.Caps caps(SpendCapsConfig c) {
        return new SpendSettings.Caps(c.member(), c.community(), c.bot());
    }
}
