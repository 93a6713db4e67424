package dev.pictor.quota;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaSettingsTest {
    @Test
    void a_bad_limit_names_its_plan_and_position() {
        assertThatThrownBy(() -> QuotaSettings.of(Map.of("vip", List.of("5/1m", "lots/1d")), "vip"))
                .hasMessageStartingWith("quota.plans.vip[1]: \"lots/1d\" is not a limit");
    }

    @Test
    void two_limits_of_one_period_in_a_plan_are_refused() {
        assertThatThrownBy(() -> QuotaSettings.of(Map.of("vip", List.of("5/1d", "9/1d")), "vip"))
                .hasMessage("quota.plans.vip[1]: two limits for the same period 1d");
    }

    @Test
    void the_default_plan_must_be_one_of_the_plans() {
        assertThatThrownBy(() -> QuotaSettings.of(Map.of("free", List.of("5/1d")), "gold"))
                .hasMessage("quota.default-plan: gold is not one of the plans [free]");
    }

    @Test
    void a_bot_profile_pool_is_checked_too() {
        assertThatThrownBy(() -> new QuotaSettings(Map.of("free", List.of("5/1d")), "free",
                Map.of("main", new QuotaSettings.ProfileQuota(List.of("x"), null))))
                .hasMessageStartingWith("bots/main: quota.community-pool[0]:");
        assertThatThrownBy(() -> new QuotaSettings.ProfileQuota(List.of(), 0)).hasMessageContaining("daily-cap");
    }
}
