package dev.pictor.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.core.port.UpdateInbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The way from a received update to its handler, through the {@link UpdateInbox}: a batch is recorded before it is
 * confirmed to Telegram, the updates not seen before go to their chats' lanes, and each is marked done once its
 * handler has taken it (or at once, if its lane refused it). The updates recorded but never done run again at start,
 * and a redelivered update is not run twice.
 */
final class UpdateIntake {
    private static final Logger log = LoggerFactory.getLogger(UpdateIntake.class);

    private final String profile;
    private final UpdateInbox inbox;
    private final ChatLanes lanes;
    private final ObjectMapper json;
    private final BiConsumer<Update, Taken> handler;

    /** @param handler runs an update on its chat's lane, and may {@link Taken#defer defer} marking it done */
    UpdateIntake(String profile, UpdateInbox inbox, ChatLanes lanes, ObjectMapper json, BiConsumer<Update, Taken> handler) {
        this.profile = profile;
        this.inbox = inbox;
        this.lanes = lanes;
        this.json = json;
        this.handler = handler;
    }

    /**
     * Runs on the polling thread: records the batch (throwing if it cannot, so that it is not confirmed), then hands
     * the updates not seen before to their chats' lanes and returns.
     */
    void take(List<UpdateReader.Accepted> batch) {
        Set<Long> fresh = new HashSet<>(inbox.record(profile,
                batch.stream().map(a -> new UpdateInbox.Received(a.id(), a.json())).toList()));
        for (UpdateReader.Accepted a : batch) {
            if (fresh.remove(a.id())) dispatch(a.id(), a.update());
            else log.info("Telegram bot {}: update {} came again; it was taken before and is not run twice", profile, a.id());
        }
    }

    /** The updates recorded but not done when the last process stopped: they run first, in their order. */
    void runLeftOver() {
        List<UpdateInbox.Received> left;
        try {
            left = inbox.takeLeftOver(profile); // not those a live process recorded and still has queued
        } catch (RuntimeException e) {
            log.warn("Telegram bot {}: could not read the updates left from the last run: {}", profile, e.toString());
            return;
        }
        if (left.isEmpty()) return;
        log.info("Telegram bot {}: running {} update(s) the last run received but did not handle", profile, left.size());
        for (UpdateInbox.Received r : left) {
            Update update;
            try {
                update = json.readValue(r.payload(), Update.class);
            } catch (JsonProcessingException e) {
                log.warn("Telegram bot {}: recorded update {} does not read; skipped", profile, r.id());
                markDone(r.id());
                continue;
            }
            dispatch(r.id(), update);
        }
    }

    /** Forgets the updates done before {@code before}. */
    void prune(Instant before) {
        try {
            int n = inbox.prune(profile, before);
            if (n > 0) log.debug("Telegram bot {}: forgot {} handled update(s)", profile, n);
        } catch (RuntimeException e) {
            log.warn("Telegram bot {}: inbox housekeeping failed: {}", profile, e.toString());
        }
    }

    /** Queues an update in its chat's lane; it is marked done once taken, or at once if the lane refused it (flood). */
    private void dispatch(long id, Update update) {
        var taken = new Taken(Members.PLATFORM + ":" + profile + ":" + id, () -> markDone(id));
        boolean queued;
        try {
            queued = lanes.submit(chatOf(update), () -> {
                try {
                    handler.accept(update, taken);
                } finally {
                    if (!taken.deferred()) taken.run();
                }
            });
        } catch (RuntimeException e) {
            log.error("Telegram bot {}: update {} could not be queued; it runs at the next start", profile, id, e);
            return;
        }
        if (!queued) taken.run(); // not taken; the chat is told once that it sends too fast
    }

    private void markDone(long id) {
        try {
            inbox.done(profile, id);
        } catch (RuntimeException e) {
            log.warn("Telegram bot {}: update {} could not be marked done ({}); the next start runs it again",
                    profile, id, e.toString());
        }
    }

    private static long chatOf(Update update) {
        if (update.hasMessage()) return update.getMessage().getChatId();
        if (update.hasCallbackQuery() && update.getCallbackQuery().getMessage() != null) {
            return update.getCallbackQuery().getMessage().getChatId();
        }
        return 0;
    }
}
