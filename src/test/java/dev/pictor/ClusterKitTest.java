package dev.pictor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pictor.config.BotProfile;
import dev.pictor.config.ConfigLoader;
import dev.pictor.config.LoadedConfig;
import dev.pictor.core.Platform;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-replica deployment (deploy/cluster): what Docker cannot run here is checked as far as files go — each
 * replica's environment, as compose gives it, loads the shipped config and the cluster's bot profiles into a valid
 * configuration on PostgreSQL, the Discord shards are split with none run twice or left out, and Telegram is on a
 * webhook on both (polling allows one process per token).
 */
class ClusterKitTest {
    private static final Path DIR = Path.of("deploy/cluster");

    private static JsonNode compose() throws Exception {
        return new YAMLMapper().readTree(DIR.resolve("compose.yaml").toFile());
    }

    private static List<String> replicas(JsonNode compose) {
        var names = new ArrayList<String>();
        compose.path("services").fieldNames().forEachRemaining(n -> {
            if (n.startsWith("pictor")) names.add(n);
        });
        return names;
    }

    /** What a replica's process sees: a filled-in .env (as an admin writes it), then the service's environment. */
    private static LoadedConfig load(JsonNode service) {
        var env = new HashMap<>(Map.of("DISCORD_TOKEN", "discord-token-for-the-kit-test",
                "TELEGRAM_TOKEN", "123456:telegram-token-for-the-kit-test",
                "TELEGRAM_WEBHOOK_URL", "https://bots.example.org/telegram/telegram",
                "TELEGRAM_WEBHOOK_SECRET", "kit-test-webhook-secret-0123456789",
                "PICTOR_STORAGE_PASSWORD", "kit-test-db-password"));
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return ConfigLoader.of(env).load(Path.of("config/pictor.yaml"), DIR.resolve("bots"));
    }

    @Test
    void twoReplicasShareOnePostgresql_thatTheyWaitForUntilItIsHealthy() throws Exception {
        JsonNode compose = compose();
        assertThat(compose.path("services").path("postgres").path("healthcheck").path("test").toString()).contains("pg_isready");
        List<String> replicas = replicas(compose);
        assertThat(replicas).hasSize(2);
        for (String name : replicas) {
            JsonNode service = compose.path("services").path(name);
            assertThat(service.path("depends_on").path("postgres").path("condition").asText()).as(name).isEqualTo("service_healthy");
            assertThat(load(service).config().storage().url()).as(name).isEqualTo("jdbc:postgresql://postgres:5432/pictor");
        }
    }

    @Test
    void theDiscordShardsAreSplit_eachRunOnceAndNoneLeftOut_andTelegramTakesWebhooksOnBoth() throws Exception {
        JsonNode compose = compose();
        var shardsRun = new ArrayList<Integer>();
        int total = -1;
        for (String name : replicas(compose)) {
            LoadedConfig loaded = load(compose.path("services").path(name));
            BotProfile discord = loaded.bots().stream().filter(b -> b.platform() == Platform.DISCORD).findFirst().orElseThrow();
            BotProfile telegram = loaded.bots().stream().filter(b -> b.platform() == Platform.TELEGRAM).findFirst().orElseThrow();
            assertThat(discord.shardIds()).as(name + " runs one shard").hasSize(1);
            shardsRun.addAll(discord.shardIds());
            total = discord.shards();
            assertThat(telegram.usesWebhook()).as(name + " takes Telegram's updates by webhook").isTrue();
        }
        assertThat(total).isEqualTo(2);
        assertThat(shardsRun).containsExactlyInAnyOrder(0, 1);
    }
}
