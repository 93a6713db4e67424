package dev.pictor.core.port;

import java.util.List;

/**
 * Where an adapter reports each message as soon as the platform confirms it was posted, before it sends the next:
 * the core records it in the ledger at once, so that what is in the chat is known even if the process dies before
 * the job closes.
 */
@FunctionalInterface
public interface PostReceipts {
    /** Receipts that go nowhere (a delivery with nothing to record, such as files written by the terminal). */
    PostReceipts NONE = posts -> {
    };

    void confirmed(List<JobPost> posts);

    default void confirmed(JobPost post) {
        confirmed(List.of(post));
    }
}
