package dev.pictor.core.port;

import java.util.List;

/**
 * Where an adapter reports each message as soon as the platform confirms it was posted, before it sends the next:
 * the core records it in the ledger at once, so that what is in the chat is known even if the process dies before
 * the job closes. Before each post the adapter asks {@link #mayPost}: a job another process has repaired (this one
 * was cut off from the database and its lease claimed) posts nothing more.
 */
@FunctionalInterface
public interface PostReceipts {
    /** Receipts that go nowhere (a delivery with nothing to record, such as files written by the terminal). */
    PostReceipts NONE = posts -> {
    };

    void confirmed(List<JobPost> posts);

    /**
     * Whether the job may still post (ask before each message that carries its images or its buttons): false once
     * another process has repaired it, or may have. Then post nothing more and return what was posted so far; the
     * core records no end and tells the member nothing (the repairer did). Cheap: in memory but for one read before
     * the job's first post.
     */
    default boolean mayPost() {
        return true;
    }

    default void confirmed(JobPost post) {
        confirmed(List.of(post));
    }
}
