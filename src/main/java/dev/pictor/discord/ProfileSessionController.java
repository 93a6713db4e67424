package dev.pictor.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * Points JDA at the profile's {@code gateway-url}: a plain JDA asks {@link #getGateway()}, a shard manager asks
 * {@link #getShardedGateway(JDA)} (which still reads shard count and login concurrency from {@code GET /gateway/bot}).
 */
final class ProfileSessionController extends ConcurrentSessionController {
    private final String gatewayUrl;

    ProfileSessionController(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    public String getGateway() {
        return gatewayUrl;
    }

    @Override
    public ShardedGateway getShardedGateway(JDA api) {
        ShardedGateway discord = super.getShardedGateway(api);
        return new ShardedGateway(gatewayUrl, discord.getShardTotal(), discord.getConcurrency());
    }
}
