package dev.pictor.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Runs the updates of one chat one after another, in the order they came, and the updates of different chats at
 * the same time. The polling thread only hands updates over; the work runs on virtual threads.
 */
final class ChatLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatLanes.class);

    private final ExecutorService executor;
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final Set<Long> flooding = ConcurrentHashMap.newKeySet();
    private final AtomicInteger notRun = new AtomicInteger();
    private final int maxPerChat;
    private final LongConsumer onFlood;

    ChatLanes(ExecutorService executor) {
        this(executor, MAX_PER_CHAT, chatId -> { });
    }

    ChatLanes(ExecutorService executor, int maxPerChat) {
        this(executor, maxPerChat, chatId -> { });
    }

    /**
     * @param onFlood called (on the submitting thread) when a chat first has an update dropped, once per flood: it is
     *                called again only after that chat's lane has run dry
     */
    ChatLanes(ExecutorService executor, int maxPerChat, LongConsumer onFlood) {
        this.executor = executor;
        this.maxPerChat = maxPerChat;
        this.onFlood = onFlood;
    }

    /** Updates one chat may have waiting; beyond it a flooding chat's updates are dropped, other chats unaffected. */
    static final int MAX_PER_CHAT = 50;

    /**
     * Queues {@code task} behind the chat's earlier tasks; false (task dropped) when the chat already has
     * {@link #MAX_PER_CHAT} waiting. A task that throws does not stop its lane.
     */
    boolean submit(long chatId, Runnable task) {
        AtomicInteger count = waiting.computeIfAbsent(chatId, id -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerChat) {
            count.decrementAndGet();
            if (flooding.add(chatId)) {
                log.warn("chat {}: {} updates already waiting; dropping its updates until they are done", chatId, maxPerChat);
                try {
                    onFlood.accept(chatId);
                } catch (RuntimeException e) {
                    log.warn("chat {}: flood notice failed: {}", chatId, e.toString());
                }
            }
            return false;
        }
        Runnable counted = () -> {
            try {
                task.run();
            } finally {
                count.decrementAndGet();
            }
        };
        CompletableFuture<Void> next = tails.compute(chatId, (id, tail) ->
                (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .handleAsync((ignored, error) -> {
                            try {
                                counted.run();
                            } catch (RuntimeException e) {
                                log.error("chat {}: update handling failed", id, e);
                            }
                            return null;
                        }, executor));
        next.whenComplete((ignored, error) -> {
            tails.remove(chatId, next);
            if (error instanceof RejectedExecutionException || error != null && error.getCause() instanceof RejectedExecutionException) {
                log.debug("chat {}: update not run, the bot is stopping", chatId);
                notRun.incrementAndGet();
                count.decrementAndGet();
            }
            waiting.computeIfPresent(chatId, (id, c) -> {
                if (c.get() <= 0 && !tails.containsKey(id)) {
                    flooding.remove(id); // the lane ran dry: the flood is over
                    return null;
                }
                return c;
            });
        });
        return true;
    }

    /** Chats with work queued or running. */
    int busyChats() {
        return tails.size();
    }

    /** Whether the chat is in a flood (it had updates dropped and its lane has not run dry since). */
    boolean flooding(long chatId) {
        return flooding.contains(chatId);
    }

    /** Tasks that were queued but not run because the lanes were closed. */
    int notRun() {
        return notRun.get();
    }

    /** Lets the running tasks finish (up to 5 s, then interrupts them); the queued ones are not run. */
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
