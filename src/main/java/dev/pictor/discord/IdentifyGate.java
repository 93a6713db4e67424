package dev.pictor.discord;

import java.time.Duration;

/**
 * Where a bot's shards take their turn to IDENTIFY with Discord's gateway, shared by every process that runs shards
 * of the bot (the store's {@code identify_slots}): Discord allows one IDENTIFY per 5 s per bucket
 * ({@code shard_id % max_concurrency}) for the whole bot, not per process.
 */
@FunctionalInterface
public interface IdentifyGate {
    /** Only this process identifies the bot's shards: JDA's own spacing within the process is enough. */
    IdentifyGate PROCESS = bucket -> Duration.ZERO;

    /**
     * Takes the bucket's slot when it is free ({@link Duration#ZERO}); otherwise takes nothing and says how long
     * until it is free.
     */
    Duration take(int bucket);

    /**
     * The shard whose slot was taken has identified (its session is loading): the bucket's next slot is a window
     * after now at the earliest, however long the connection took.
     */
    default void identified(int bucket) {
    }

    /**
     * Thrown by {@link #take} when the process will not serve (its store failed to open and it is stopping): the shard
     * must not IDENTIFY at all, since every IDENTIFY uses one of the bot's daily session starts.
     */
    final class Abandoned extends RuntimeException {
        public Abandoned(Throwable cause) {
            super("the process is stopping before it serves", cause);
        }
    }
}
