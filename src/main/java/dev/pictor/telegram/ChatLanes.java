package dev.pictor.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the updates of one chat one after another, in the order they came, and the updates of different chats at
 * the same time. The polling thread only hands updates over; the work runs on virtual threads.
 */
final class ChatLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatLanes.class);

    private final ExecutorService executor;
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    ChatLanes(ExecutorService executor) {
        this.executor = executor;
    }

    /** Queues {@code task} behind the chat's earlier tasks. A task that throws does not stop its lane. */
    void submit(long chatId, Runnable task) {
        CompletableFuture<Void> next = tails.compute(chatId, (id, tail) ->
                (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .handleAsync((ignored, error) -> {
                            try {
                                task.run();
                            } catch (RuntimeException e) {
                                log.error("chat {}: update handling failed", id, e);
                            }
                            return null;
                        }, executor));
        next.whenComplete((ignored, error) -> {
            tails.remove(chatId, next);
            if (error instanceof RejectedExecutionException || error != null && error.getCause() instanceof RejectedExecutionException) {
                log.warn("chat {}: update dropped, the bot is stopping", chatId);
            }
        });
    }

    /** Chats with work queued or running. */
    int busyChats() {
        return tails.size();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
