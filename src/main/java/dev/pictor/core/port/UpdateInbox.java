package dev.pictor.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where a platform adapter durably records the updates it received before it confirms them to the platform, so that
 * a crash loses none and a redelivered one is not run twice: record (once per id), then confirm, then handle, then
 * mark done; at start, the updates recorded but not done are run again.
 */
public interface UpdateInbox {
    /** One update as the platform sent it: its id and its raw JSON. */
    record Received(long id, String payload) {
    }

    /**
     * Records the updates of one batch in one go, each at most once per {@code profile} and id; durable when this
     * returns. Returns the ids that were new; an id recorded before (a redelivery) is not among them.
     */
    Set<Long> record(String profile, List<Received> updates);

    /** Marks an update as handled (its job recorded, or its answer sent): it is not run again. */
    void done(String profile, long id);

    /** The updates recorded but not marked done (a stop or a crash cut them off, or they are being handled), in id order. */
    List<Received> undone(String profile);

    /**
     * Takes over, and returns in id order, the updates not done that no live process holds (their process stopped or
     * was cut off): this process runs them, and no other process sharing the inbox gets them too. An inbox of one
     * process only (in memory) has nobody else to take them from: all {@link #undone} updates.
     */
    default List<Received> takeLeftOver(String profile) {
        return undone(profile);
    }

    /** Deletes the done updates received before {@code before}; returns how many. */
    int prune(String profile, Instant before);
}
