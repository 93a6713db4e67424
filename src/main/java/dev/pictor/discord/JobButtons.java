package dev.pictor.discord;

import dev.pictor.core.ImagineOptions;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.OptionParser;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobView;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The buttons under a result. Each reads the job back from the ledger by the id in its custom id, so they work
 * for as long as the ledger keeps the job, restarts included. A custom id is the client's word and may be forged:
 * it is trusted only for "which job, which action". A press acts only when the message it sits on (the channel and
 * message id of Discord's own event) is one the ledger recorded as that job's post; otherwise it is answered as a
 * button that no longer works.
 * <ul>
 *   <li>Re-roll: the same request with a new random seed, made and charged as a new request of whoever pressed it.</li>
 *   <li>Details: seed, rewritten prompt, model, gateway and time, shown only to whoever pressed it.</li>
 *   <li>Delete: removes the result, for the member who asked for it or anyone with Manage Messages.</li>
 * </ul>
 */
final class JobButtons {
    private static final Logger log = LoggerFactory.getLogger(JobButtons.class);

    private final DiscordServices services;
    private final Members members;
    private final Workers workers;
    private final JobStarter jobs;

    JobButtons(DiscordServices services, Members members, Workers workers, JobStarter jobs) {
        this.services = services;
        this.members = members;
        this.workers = workers;
        this.jobs = jobs;
    }

    void handle(ButtonInteractionEvent event, ButtonIds.Parsed button) {
        var pressed = new Pressed(button.jobId(), event.getChannelId(), event.getMessageId());
        switch (button.action()) {
            case REROLL -> {
                Reply reply = new Reply(event.getHook(), Reply.Kind.PUBLIC, event.deferReply().submit());
                Requester who = members.requester(event);
                long fileLimit = Members.attachmentLimit(event);
                offer(reply, () -> reroll(pressed, who, reply, fileLimit));
            }
            case DETAILS -> {
                event.deferReply(true).queue(null, e -> log.warn("could not acknowledge Details: {}", e.toString()));
                Reply reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL);
                offer(reply, () -> details(pressed, reply));
            }
            case DELETE -> {
                event.deferEdit().queue(null, e -> log.warn("could not acknowledge Delete: {}", e.toString()));
                Reply reply = new Reply(event.getHook(), Reply.Kind.UPDATE);
                String presser = event.getUser().getId();
                boolean moderator = members.isModerator(event);
                offer(reply, () -> delete(pressed, presser, moderator, reply));
            }
        }
    }

    /** A press: the job its custom id names, and the message Discord says the button sits on. */
    private record Pressed(String jobId, String channel, String message) {
    }

    /** The job, when the pressed message is one of its own posts; else empty (forged, or from before the ledger kept posts). */
    private Optional<JobView> jobOf(Pressed pressed) {
        Optional<JobView> job = services.ledger().find(pressed.jobId());
        if (job.isPresent() && !job.get().posted(pressed.channel(), pressed.message())) {
            log.info("job {}: button pressed on message {} in channel {}, which is not one of its posts; ignored",
                    pressed.jobId(), pressed.message(), pressed.channel());
            return Optional.empty();
        }
        return job;
    }

    private void offer(Reply reply, Runnable work) {
        if (!workers.offer(work)) reply.tell(DiscordText.busy());
    }

    private void reroll(Pressed pressed, Requester who, Reply reply, long fileLimit) {
        Optional<JobView> job = jobOf(pressed);
        if (job.isEmpty()) {
            reply.tell(DiscordText.jobGone());
            return;
        }
        ImagineRequest was = job.get().request();
        Long seed = was.model().capabilities().seed() ? services.seeds().nextLong(OptionParser.MAX_SEED + 1) : null;
        var options = new ImagineOptions(was.model().id(), was.aspect(), was.count(), seed, was.enhance());
        jobs.start(who, new PromptCommand(was.prompt(), options), reply, fileLimit);
    }

    private void details(Pressed pressed, Reply reply) {
        jobOf(pressed).ifPresentOrElse(
                job -> reply.show(DiscordText.details(job)),
                () -> reply.tell(DiscordText.jobGone()));
    }

    private void delete(Pressed pressed, String presser, boolean moderator, Reply reply) {
        Optional<JobView> job = jobOf(pressed);
        if (job.isEmpty()) {
            reply.tell(DiscordText.jobGone());
            return;
        }
        if (!job.get().askedBy(Members.PLATFORM, presser) && !moderator) {
            reply.tell(DiscordText.notYours());
            return;
        }
        // the hook's original message is the one the button sits on, which the ledger just confirmed is the job's
        reply.hook().deleteOriginal().queue(null, e -> {
            log.warn("could not delete the result of job {}: {}", pressed.jobId(), e.toString());
            reply.tell("I could not delete these images; a moderator can remove the message instead.");
        });
    }
}
