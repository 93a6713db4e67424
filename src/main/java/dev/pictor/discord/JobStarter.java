package dev.pictor.discord;

import dev.pictor.core.Checked;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.Requester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/** Validates a command and hands the accepted request to the core, the answer going into the given reply. */
final class JobStarter {
    private static final Logger log = LoggerFactory.getLogger(JobStarter.class);

    private final DiscordServices services;
    private final UploadFitter fitter = new UploadFitter();
    private final ScheduledExecutorService timer;

    JobStarter(DiscordServices services, ScheduledExecutorService timer) {
        this.services = services;
        this.timer = timer;
    }

    /**
     * Runs on a worker: validation, then the job on the core's executor. Only once Discord has taken the
     * acknowledgement: an interaction it lost can receive no images, so nothing is charged or generated for it.
     */
    void start(Requester who, PromptCommand command, Reply reply, long fileLimit) {
        if (!reply.acknowledged()) return;
        Checked<ImagineRequest> checked = services.validator().validate(who, command);
        switch (checked) {
            case Checked.Refused<ImagineRequest> r -> reply.tell(DiscordText.refusal(r.refusal()));
            case Checked.Ok<ImagineRequest> ok -> submit(ok.value(), reply, fileLimit);
        }
    }

    private void submit(ImagineRequest request, Reply reply, long fileLimit) {
        try {
            services.generation().submit(request, new InteractionDelivery(reply, request, fileLimit, fitter, timer))
                    .whenComplete((outcome, error) -> {
                        if (error != null) {
                            log.error("a Discord job ended without an outcome", error);
                            reply.tell(DiscordText.internalError());
                        }
                    });
        } catch (RejectedExecutionException e) {
            reply.tell(DiscordText.busy());
        }
    }
}
