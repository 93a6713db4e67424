package dev.pictor.quota;

import dev.pictor.core.Platform;

import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plans, members and a catalog shared by the quota and store tests. */
public final class QuotaFixtures {
    private QuotaFixtures() {
    }

    public static QuotaSettings settings() {
        var plans = new LinkedHashMap<String, List<String>>();
        plans.put("default", List.of("3/1m", "25/1d"));
        plans.put("vip", List.of("5/1m", "100/1d"));
        plans.put("trial", List.of("2/1d"));
        return new QuotaSettings(plans, "default", Map.of(
                "pool-bot", new QuotaSettings.ProfileQuota(List.of("10/1d"), null),
                "capped-bot", new QuotaSettings.ProfileQuota(List.of(), 6)));
    }

    /** A Discord member of server g1 served by the bot profile {@code profile}. */
    public static Requester member(String user, String profile) {
        return new Requester(Platform.DISCORD, user, user, "g1", profile, null);
    }

    public static Requester member(String user) {
        return member(user, "plain-bot");
    }

    public static ModelCatalog catalog() {
        var imagen = new ModelCapabilities(List.of("1:1", "16:9", "9:16"), 4, true, 400, true);
        return new ModelCatalog(List.of(
                new ModelSpec("imagen-4", "Imagen 4", imagen, List.of(new Route("a", "imagen-4.0-generate-001"))),
                new ModelSpec("flash", "Flash", new ModelCapabilities(List.of("1:1"), 1, false, 400, false),
                        List.of(new Route("b", "gemini-2.5-flash-image")))), "imagen-4");
    }
}
