package dev.pictor.core.chat;

import dev.pictor.core.Platform;

import dev.pictor.core.Checked;
import dev.pictor.core.ImagineOptions;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.OptionParser;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.RepairNotice;
import dev.pictor.core.Requester;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * The conversation every platform shares, as use cases: imagine (parse, validate, submit), the buttons under a
 * result (Re-roll, Details, Delete) and the notices after a restart. An adapter reads its platform's event into
 * these calls and renders what they return with its own markup and limits; the rules live here, once.
 */
public final class Chat {
    private static final Logger log = LoggerFactory.getLogger(Chat.class);

    private final ChatServices services;

    Chat(ChatServices services) {
        this.services = services;
    }

    /** {@code /imagine <prompt> [--flags]} as typed: parsed, then validated for {@code who}. */
    public Checked<ImagineRequest> check(Requester who, String text) {
        return services.parser().parse(text).then(command -> check(who, command));
    }

    /** A command already parsed (Discord's slash options laid over the prompt's flags): validated for {@code who}. */
    public Checked<ImagineRequest> check(Requester who, PromptCommand command) {
        return services.validator().validate(who, command);
    }

    /** Hands an accepted request to the core; {@link Submitted.Busy} when it has no room (nothing charged). */
    public Submitted submit(ImagineRequest request, Delivery delivery) {
        try {
            return new Submitted.Running(services.generation().submit(request, delivery));
        } catch (RejectedExecutionException e) {
            log.warn("the core has no room for another job; {} told pictor is busy", request.requester().memberKey());
            return new Submitted.Busy();
        }
    }

    /**
     * Re-roll: the job's request again for {@code who} (charged to them), validated again against today's catalog
     * and rules, with a new seed when the model takes one.
     */
    public ButtonResult reroll(Press press, Requester who) {
        Optional<JobView> job = jobOn(press);
        if (job.isEmpty()) return new ButtonResult.Gone();
        return switch (check(who, again(job.get().request()))) {
            case Checked.Refused<ImagineRequest> r -> new ButtonResult.Refused(r.refusal());
            case Checked.Ok<ImagineRequest> ok -> {
                ImagineRequest request = ok.value();
                if (request.model().capabilities().seed()) {
                    request = request.withSeed(services.seeds().nextLong(OptionParser.MAX_SEED + 1));
                }
                yield new ButtonResult.Reroll(request);
            }
        };
    }

    /**
     * The command a Re-roll asks again: same model, aspect and count, no seed (a new one is drawn once it is
     * valid). Enhance: a job made without it asks again without it; a job made with it asks for the model's default,
     * not for enhance outright, so that a model whose enhance was switched off since still re-rolls (asking for
     * enhance outright would be refused with advice the member cannot act on).
     */
    static PromptCommand again(ImagineRequest was) {
        return new PromptCommand(was.prompt(), new ImagineOptions(was.model().id(), was.aspect(), was.count(), null,
                was.enhance() ? null : Boolean.FALSE));
    }

    /** Details: what the ledger recorded about the pressed message's job. */
    public ButtonResult details(Press press) {
        return jobOn(press).<ButtonResult>map(job -> new ButtonResult.Details(JobDetails.of(job))).orElseGet(ButtonResult.Gone::new);
    }

    /**
     * Delete: allowed for the member who asked for the job and for the platform's moderators; it removes the
     * messages the job posted in the pressed chat (as the ledger recorded them), never a message the press names.
     */
    public ButtonResult delete(Press press) {
        Optional<JobView> job = jobOn(press);
        if (job.isEmpty()) return new ButtonResult.Gone();
        if (!mayDelete(job.get(), press)) return new ButtonResult.NotYours();
        return new ButtonResult.Delete(job.get(), job.get().messagesIn(press.chat()));
    }

    /** Who may delete a result: whoever asked for it, or a moderator. */
    static boolean mayDelete(JobView job, Press press) {
        return press.moderator() || job.askedBy(press.platform(), press.presser());
    }

    /**
     * The job a press may act on: the one its data names, when the message the platform says was pressed is one of
     * that job's own posts; else empty (forged, copied to another message, or from before the ledger kept posts).
     */
    Optional<JobView> jobOn(Press press) {
        Optional<JobView> job = services.ledger().find(press.jobId());
        if (job.isPresent() && !job.get().posted(press.chat(), press.message())) {
            log.info("job {}: button pressed on message {} in chat {}, which is not one of its posts; ignored",
                    press.jobId(), press.message(), press.chat());
            return Optional.empty();
        }
        return job;
    }

    /**
     * The members of the bot profile {@code botProfile} on {@code platform} to tell about the jobs a stopped process
     * left unfinished: only jobs that bot received (another profile's members are that bot's to tell), and only when
     * an image asked for had not been posted.
     */
    public List<RestartNotice> restartNotices(List<JobView> repaired, Platform platform, String botProfile) {
        var notices = new ArrayList<RestartNotice>();
        for (JobView job : repaired) {
            Requester who = job.request().requester();
            if (!platform.equals(who.platform()) || !botProfile.equals(who.botProfile())) continue;
            if (!RepairNotice.needed(job)) continue;
            notices.add(new RestartNotice(job, who, RepairNotice.outcome(job)));
        }
        return notices;
    }
}
