package dev.pictor.discord;

import dev.pictor.core.Requester;
import dev.pictor.core.chat.ButtonResult;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.Press;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buttons under a result. Each reads the job back from the ledger by the id in its custom id, so they work
 * for as long as the ledger keeps the job, restarts included. A custom id is the client's word and may be forged:
 * it is trusted only for "which job, which action". A press acts only when the message it sits on (the channel and
 * message id of Discord's own event) is one the ledger recorded as that job's post; otherwise it is answered as a
 * button that no longer works. The rules are the core's {@link Chat}; this class reads the event and renders.
 * <ul>
 *   <li>Re-roll: the same request with a new random seed, made and charged as a new request of whoever pressed it.</li>
 *   <li>Details: seed, rewritten prompt, model, provider and time, shown only to whoever pressed it.</li>
 *   <li>Delete: removes the result, for the member who asked for it or anyone with Manage Messages.</li>
 * </ul>
 */
final class JobButtons {
    private static final Logger log = LoggerFactory.getLogger(JobButtons.class);

    private final Chat chat;
    private final Members members;
    private final Workers workers;
    private final JobStarter jobs;

    JobButtons(Chat chat, Members members, Workers workers, JobStarter jobs) {
        this.chat = chat;
        this.members = members;
        this.workers = workers;
        this.jobs = jobs;
    }

    void handle(ButtonInteractionEvent event, ButtonIds.Parsed button) {
        String presser = event.getUser().getId();
        switch (button.action()) {
            case REROLL -> {
                Reply reply = jobs.deferPublic(event, () -> members.locale(event));
                Requester who = members.requester(event);
                long fileLimit = Members.attachmentLimit(event);
                var press = press(event, button, presser, false);
                offer(reply, () -> reroll(press, who, reply, fileLimit));
            }
            case DETAILS -> {
                event.deferReply(true).queue(null, e -> log.warn("could not acknowledge Details: {}", e.toString()));
                Reply reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL, () -> members.locale(event));
                var press = press(event, button, presser, false);
                offer(reply, () -> details(press, reply));
            }
            case DELETE -> {
                event.deferEdit().queue(null, e -> log.warn("could not acknowledge Delete: {}", e.toString()));
                Reply reply = new Reply(event.getHook(), Reply.Kind.UPDATE, () -> members.locale(event));
                var press = press(event, button, presser, members.isModerator(event));
                offer(reply, () -> delete(press, reply));
            }
        }
    }

    /** The press: the job its custom id names, and the message Discord's own event says the button sits on. */
    private static Press press(ButtonInteractionEvent event, ButtonIds.Parsed button, String presser, boolean moderator) {
        return new Press(button.jobId(), event.getChannelId(), event.getMessageId(), Members.PLATFORM, presser, moderator);
    }

    private void offer(Reply reply, Runnable work) {
        workers.offer(work, reply);
    }

    private void reroll(Press press, Requester who, Reply reply, long fileLimit) {
        switch (chat.reroll(press, who)) {
            case ButtonResult.Reroll r -> jobs.start(r.request(), reply, fileLimit);
            case ButtonResult.Refused r -> {
                if (reply.acknowledged()) reply.tell(r.refusal());
            }
            default -> reply.tell(DiscordText.jobGone());
        }
    }

    private void details(Press press, Reply reply) {
        if (chat.details(press) instanceof ButtonResult.Details d) reply.show(DiscordText.details(reply.locale(), d.details()));
        else reply.tell(DiscordText.jobGone());
    }

    private void delete(Press press, Reply reply) {
        switch (chat.delete(press)) {
            case ButtonResult.NotYours n -> reply.tell(DiscordText.notYours());
            // the hook's original message is the one the button sits on, which the ledger just confirmed is the job's
            case ButtonResult.Delete d -> reply.hook().deleteOriginal().queue(null, e -> {
                log.warn("could not delete the result of job {}: {}", press.jobId(), e.toString());
                reply.tell(Text.of(Msg.DISCORD_DELETE_FAILED));
            });
            default -> reply.tell(DiscordText.jobGone());
        }
    }
}
