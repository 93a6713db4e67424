package dev.pictor.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Points JDA at the profile's {@code gateway-url}: a plain JDA asks {@link #getGateway()}, a shard manager asks
 * {@link #getShardedGateway(JDA)} (which still reads shard count and login concurrency from {@code GET /gateway/bot}).
 *
 * <p>Each IDENTIFY first takes its bucket's slot at the {@link IdentifyGate} ({@code shard_id % max_concurrency},
 * the concurrency JDA sets from {@code session_start_limit.max_concurrency}), waiting until it is free, and once the
 * shard has identified the slot's window is counted again from then, so that several processes running shards of one
 * bot never identify shards of one bucket within Discord's 5 s. JDA's own workers still space the shards of one
 * bucket within this process.
 */
final class ProfileSessionController extends ConcurrentSessionController {
    private static final Logger log = LoggerFactory.getLogger(ProfileSessionController.class);

    private final String gatewayUrl;
    private final IdentifyGate gate;
    private volatile int concurrency = 1;

    ProfileSessionController(String gatewayUrl) {
        this(gatewayUrl, IdentifyGate.PROCESS);
    }

    ProfileSessionController(String gatewayUrl, IdentifyGate gate) {
        this.gatewayUrl = gatewayUrl;
        this.gate = gate;
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

    @Override
    public void setConcurrency(int level) {
        concurrency = Math.max(1, level);
        super.setConcurrency(level);
    }

    @Override
    public void appendSession(SessionConnectNode node) {
        super.appendSession(new Gated(node));
    }

    @Override
    public void removeSession(SessionConnectNode node) {
        super.removeSession(new Gated(node)); // equal to the one queued: the same node
    }

    /** A connect that takes its bucket's slot before it runs; equal to any other wrapping the same node. */
    private final class Gated implements SessionConnectNode {
        private final SessionConnectNode node;

        Gated(SessionConnectNode node) {
            this.node = node instanceof Gated g ? g.node : node;
        }

        @Override
        public boolean isReconnect() {
            return node.isReconnect();
        }

        @Override
        public JDA getJDA() {
            return node.getJDA();
        }

        @Override
        public JDA.ShardInfo getShardInfo() {
            return node.getShardInfo();
        }

        @Override
        public void run(boolean isLast) throws InterruptedException {
            int bucket = getShardInfo().getShardId() % concurrency;
            while (true) {
                Duration wait;
                try {
                    wait = gate.take(bucket);
                } catch (IdentifyGate.Abandoned e) {
                    log.info("shard {}: not identifying, {}", getShardInfo().getShardId(), e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    // the store is down: identify anyway, spaced by JDA within this process as without a store
                    log.warn("shard {}: could not take the IDENTIFY slot of bucket {} in the store: {}", getShardInfo().getShardId(),
                            bucket, e.toString());
                    break;
                }
                if (wait.isZero()) break;
                Thread.sleep(wait.toMillis());
            }
            // as if more shards were queued: JDA returns once this one has identified (or failed to connect), and the
            // bucket's next slot is counted from then, not from when the connection began
            node.run(false);
            try {
                gate.identified(bucket);
            } catch (RuntimeException e) {
                log.warn("shard {}: could not mark the IDENTIFY of bucket {} in the store: {}", getShardInfo().getShardId(),
                        bucket, e.toString());
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gated g && g.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }
}
