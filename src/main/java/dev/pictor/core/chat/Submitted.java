package dev.pictor.core.chat;

import dev.pictor.core.JobOutcome;

import java.util.concurrent.CompletableFuture;

/**
 * What became of handing an accepted request to the core: it runs (its outcome will complete), or the core had no
 * room for it, in which case nothing was charged or recorded and the member is told pictor is busy. (A request made
 * while pictor stops is answered by the core itself, through the delivery: it is "running" to an immediate refusal.)
 */
public sealed interface Submitted {
    record Running(CompletableFuture<JobOutcome> outcome) implements Submitted {
    }

    /** The core's executor refused the job (every slot and queue place taken). */
    record Busy() implements Submitted {
    }
}
