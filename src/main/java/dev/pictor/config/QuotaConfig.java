package dev.pictor.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code quota}: named plans, each a list of limits that all apply ({@code free: ["3/1m", "25/1d"]}: a burst and a
 * daily limit), and the plan every member starts on ({@code default-plan}; may be left out when there is one plan).
 */
public record QuotaConfig(Map<String, List<QuotaLimit>> plans, String defaultPlan) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public QuotaConfig {
        var copy = new LinkedHashMap<String, List<QuotaLimit>>();
        if (plans != null) plans.forEach((name, limits) -> copy.put(name, Values.list(limits)));
        plans = Collections.unmodifiableMap(copy);
        defaultPlan = Values.blank(defaultPlan) ? (plans.size() == 1 ? plans.keySet().iterator().next() : null) : defaultPlan.strip();
        var c = Invalid.collector().check(!plans.isEmpty(), "plans", "needs at least one plan, e.g. free: [\"3/1m\", \"25/1d\"]");
        for (var e : plans.entrySet()) {
            c.check(NAME.matcher(e.getKey()).matches(), "plans." + e.getKey(), "a plan name is letters, digits, - and _");
            c.check(!e.getValue().isEmpty(), "plans." + e.getKey(), "needs at least one limit, e.g. [\"25/1d\"]");
            checkPeriods(c, "plans." + e.getKey(), e.getValue());
        }
        if (!plans.isEmpty()) {
            if (defaultPlan == null) c.add("default-plan", "is required when there are several plans (known: " + String.join(", ", plans.keySet()) + ")");
            else c.check(plans.containsKey(defaultPlan), "default-plan", "unknown plan \"" + defaultPlan + "\" (known: " + String.join(", ", plans.keySet()) + ")");
        }
        c.throwIfAny();
    }

    /** Records a problem for a limit whose period an earlier limit of the same list already has. */
    static void checkPeriods(Invalid.Collector c, String key, List<QuotaLimit> limits) {
        var seen = new java.util.HashMap<String, QuotaLimit>();
        for (int i = 0; i < limits.size(); i++) {
            QuotaLimit other = seen.putIfAbsent(limits.get(i).periodText(), limits.get(i));
            if (other != null) c.add(key + "[" + i + "]", "\"" + limits.get(i) + "\" has the same period as \"" + other + "\": keep one");
        }
    }

    public List<QuotaLimit> plan(String name) {
        return plans.get(name);
    }

    public List<QuotaLimit> defaultLimits() {
        return plans.get(defaultPlan);
    }
}
