package dev.pictor.discord;

import dev.pictor.core.Checked;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.Submitted;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Validates a command and hands the accepted request to the core's {@link Chat}, the answer going into the given reply. */
final class JobStarter {
    private static final Logger log = LoggerFactory.getLogger(JobStarter.class);

    private final Chat chat;
    private final UploadFitter fitter = new UploadFitter();
    private final ScheduledExecutorService timer;
    private final AckFirst acks;

    JobStarter(Chat chat, ScheduledExecutorService timer, AckFirst acks) {
        this.chat = chat;
        this.timer = timer;
        this.acks = acks;
    }

    /**
     * Acknowledges, on JDA's thread and before anything else is done for it, an interaction that may start a job
     * (deferred with a visible "thinking…"); the acknowledgement counts as in flight until Discord answers it.
     *
     * @param language reads the member's language, later, on the worker ({@link #start}): it may read the storage
     */
    Reply deferPublic(IReplyCallback event, Supplier<Locale> language) {
        return new Reply(event.getHook(), Reply.Kind.PUBLIC, acks.track(event.deferReply().submit()), language);
    }

    /**
     * Runs on a worker: validation, then the job on the core's executor. Only once Discord has taken the
     * acknowledgement: an interaction it lost can receive no images, so nothing is charged or generated for it.
     * Acknowledgements still in flight go first ({@link AckFirst}).
     */
    void start(Requester who, PromptCommand command, Reply reply, long fileLimit) {
        if (!begin(reply)) return;
        switch (chat.check(who, command)) {
            case Checked.Refused<ImagineRequest> r -> reply.tell(r.refusal());
            case Checked.Ok<ImagineRequest> ok -> submit(ok.value(), reply, fileLimit);
        }
    }

    /** Runs on a worker: a request already validated (a Re-roll), once Discord has taken the acknowledgement. */
    void start(ImagineRequest request, Reply reply, long fileLimit) {
        if (!begin(reply)) return;
        submit(request, reply, fileLimit);
    }

    /**
     * Whether the job may begin: Discord took its acknowledgement, and the others in flight went first. Reads the
     * member's language here, on the worker, so that a job waiting for a provider slot keeps no interaction event.
     */
    private boolean begin(Reply reply) {
        if (!reply.acknowledged() || !acknowledgementsFirst(reply)) return false;
        reply.locale();
        return true;
    }

    /** Waits for the acknowledgements in flight (bounded); false when the worker was interrupted (closing). */
    private boolean acknowledgementsFirst(Reply reply) {
        try {
            acks.awaitQuiet(reply.arrivedNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.tell(DiscordText.busy());
            return false;
        }
    }

    private void submit(ImagineRequest request, Reply reply, long fileLimit) {
        reply.detach(); // the job keeps of the interaction only what its answer needs
        switch (chat.submit(request, new DiscordDelivery(reply, request, fileLimit, fitter, timer))) {
            case Submitted.Busy busy -> reply.tell(DiscordText.busy());
            case Submitted.Running running -> running.outcome().whenComplete((outcome, error) -> {
                if (error != null) {
                    log.error("a Discord job ended without an outcome", error);
                    reply.tell(DiscordText.internalError());
                }
            });
        }
    }
}
