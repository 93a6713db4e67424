package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code community-pool} of a bot profile: what one community (Discord server, Telegram group) may use in all, on top
 * of each member's plan — either a plan's name ({@code community-pool: community}) or limits
 * ({@code community-pool: ["200/1d"]}). Exactly one of {@code plan} and {@code limits} is set.
 */
public record CommunityPool(String plan, List<QuotaLimit> limits) {
    public CommunityPool {
        limits = limits == null ? null : List.copyOf(limits);
        if ((plan == null) == (limits == null)) throw new IllegalArgumentException("a community pool is a plan name or a list of limits");
        if (limits != null && limits.isEmpty()) throw new IllegalArgumentException("a community pool needs at least one limit, e.g. [\"200/1d\"]");
        if (limits != null) {
            var c = Invalid.collector();
            QuotaConfig.checkPeriods(c, "", limits);
            c.throwIfAny();
        }
    }

    @JsonCreator
    static CommunityPool from(JsonNode node) {
        if (node.isTextual() && !node.textValue().isBlank()) return new CommunityPool(node.textValue().strip(), null);
        if (node.isArray()) {
            var limits = new ArrayList<QuotaLimit>();
            for (JsonNode item : node) {
                if (!item.isTextual()) throw new IllegalArgumentException("write each limit as text, e.g. \"200/1d\"");
                limits.add(QuotaLimit.parse(item.textValue()));
            }
            return new CommunityPool(null, limits);
        }
        throw new IllegalArgumentException("write a plan's name (community-pool: community) or a list of limits (community-pool: [\"200/1d\"])");
    }
}
