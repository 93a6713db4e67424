package dev.pictor.config;

import dev.pictor.app.QuotaWiring;
import dev.pictor.quota.SpendSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code spend-caps} in config/pictor.yaml and in a bot profile: a profile's cap replaces the config's, cap by cap. */
class SpendCapsConfigTest {
    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    @Test
    void a_profiles_caps_replace_the_configs_one_by_one_and_the_day_is_in_the_configured_zone() {
        Path config = files.config(ConfigFiles.VALID + "spend-caps: {member: 0.50, community: 5, bot: 50, time-zone: Europe/Paris}\n");
        files.bot("tg", "platform: telegram\ntoken: \"123:abc\"\nspend-caps: {community: 2}\n");
        var loaded = ConfigLoader.of(Map.of()).load(config, files.bots());

        SpendSettings spend = QuotaWiring.spend(loaded.config(), loaded.bots());

        assertThat(spend.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(spend.of("tg")).extracting(c -> c.member().toPlainString(), c -> c.community().toPlainString(), c -> c.bot().toPlainString())
                .containsExactly("0.5", "2", "50");
        assertThat(spend.of("other")).extracting(c -> c.community().toPlainString()).isEqualTo("5");
    }

    @Test
    void a_negative_cap_a_zone_that_does_not_exist_and_a_zone_in_a_profile_are_refused_naming_the_key() {
        Path config = files.config(ConfigFiles.VALID + "spend-caps: {member: -1, time-zone: Mars/Olympus}\n");
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(Map.of()).load(config));
        List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
        assertThat(String.join("\n", errors)).contains("spend-caps.member", "spend-caps.time-zone", "Mars/Olympus");

        Path fine = files.config(ConfigFiles.VALID);
        files.bot("tg", "platform: telegram\ntoken: \"123:abc\"\nspend-caps: {time-zone: UTC}\n");
        var inProfile = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(Map.of()).load(fine, files.bots()));
        assertThat(inProfile.errors().toString()).contains("spend-caps.time-zone", "config/pictor.yaml");
    }
}
