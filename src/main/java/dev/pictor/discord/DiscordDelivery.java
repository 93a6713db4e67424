package dev.pictor.discord;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.exceptions.InteractionExpiredException;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one job into the interaction's deferred reply: progress edits the reply, the images replace it (with the
 * caption and the Re-roll / Details / Delete buttons), a refusal reaches the member privately.
 *
 * <p>Discord already shows "pictor is thinking…" from the acknowledgement, so "Generating…" is shown only once a job
 * has run for {@link #GENERATING_AFTER}: quick jobs cost no extra call, and in a burst the edits do not compete with
 * the acknowledgements of the interactions behind them. "Queued" (waiting for a provider slot) is shown at once. Both
 * are sent from the bot's timer thread, not from the job's (see {@link #progress}).
 */
final class DiscordDelivery implements Delivery {
    static final Duration GENERATING_AFTER = Duration.ofSeconds(1);
    private static final long UPLOAD_TIMEOUT_SECONDS = 120;

    private final Reply reply;
    private final ImagineRequest request;
    private final long fileLimit;
    private final UploadFitter fitter;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> pending; // guarded by this
    private boolean finished;           // guarded by this: once set, no progress edit may follow
    private volatile boolean posted;    // the images' edit went through

    DiscordDelivery(Reply reply, ImagineRequest request, long fileLimit, UploadFitter fitter,
                        ScheduledExecutorService timer) {
        this.reply = reply;
        this.request = request;
        this.fileLimit = fileLimit;
        this.fitter = fitter;
        this.timer = timer;
    }

    /** The channel of the interaction the job answers. */
    @Override
    public String chat() {
        return reply.channelId();
    }

    @Override
    public synchronized void progress(Progress progress) {
        if (finished) return;
        if (pending != null) pending.cancel(false);
        pending = null;
        String text = DiscordText.progress(reply.locale(), progress, request);
        // the edit is queued by the timer's thread, never by the job's: JDA writes a request's JSON on the thread that
        // queues it, with buffers Jackson keeps per thread (~16 KB), which a job's thread would then carry while it
        // waits; and it is queued before any final edit, so Discord applies it first
        pending = timer.schedule(() -> {
            synchronized (this) {
                if (!finished) reply.show(text);
            }
        }, progress == Progress.QUEUED ? 0 : GENERATING_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No progress edit may follow the answer: cancels a pending one and shuts the door. */
    private synchronized void finish() {
        finished = true;
        if (pending != null) pending.cancel(false);
    }

    @Override
    public int deliver(Generated generated) throws IOException {
        finish();
        String stem = "pictor-" + shortId(generated.jobId());
        UploadFitter.Fitted fitted = fitter.fit(generated.images(), fileLimit, stem);
        if (fitted.uploads().isEmpty()) {
            throw new IOException("none of the " + generated.images().size() + " images fit Discord's upload limit of "
                    + fileLimit + " bytes");
        }
        List<FileUpload> files = fitted.uploads().stream().map(u -> FileUpload.fromData(u.bytes(), u.filename())).toList();
        var data = new MessageEditBuilder()
                .setContent(DiscordText.caption(reply.locale(), generated, fitted.uploads().size(), fitted.leftOut()))
                .setAttachments(files)
                .setComponents(buttons(reply.locale(), generated.jobId()))
                .setAllowedMentions(Reply.NO_PINGS)
                .build();
        // a job another process has repaired meanwhile (this one was cut off from the database and its lease
        // claimed) posts nothing; the core records no end for it and tells nobody (the repairer did)
        if (!generated.receipts().mayPost()) return 0;
        // as JDA's own hook would (a detached reply's hook, made from the token, does not check the expiry itself)
        if (reply.expired()) throw new InteractionExpiredException();
        // Blocks this job's worker until Discord has the files: the core refunds what did not arrive.
        Message message = reply.hook().editOriginal(data).timeout(UPLOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS).complete();
        posted = true;
        int delivered = Math.min(fitted.uploads().size(), message.getAttachments().size());
        generated.receipts().confirmed(new JobPost(message.getChannelId(), message.getId(), delivered));
        return delivered;
    }

    @Override
    public void refused(Refusal refusal) {
        finish();
        reply.tell(refusal);
    }

    /**
     * Another process repaired the job (and tells the member): no progress edit follows, and a reply still saying
     * only that pictor is working on it is withdrawn rather than left "generating…" until its token runs out.
     */
    @Override
    public void abandoned() {
        finish();
        if (!posted) reply.withdraw();
    }

    /** The result's buttons, labelled in the requester's language. */
    static ActionRow buttons(java.util.Locale locale, String jobId) {
        return ActionRow.of(
                Button.primary(ButtonIds.of(ButtonIds.Action.REROLL, jobId), Messages.render(locale, Msg.BUTTON_REROLL))
                        .withEmoji(Emoji.fromUnicode("🎲")),
                Button.secondary(ButtonIds.of(ButtonIds.Action.DETAILS, jobId), Messages.render(locale, Msg.BUTTON_DETAILS)),
                Button.danger(ButtonIds.of(ButtonIds.Action.DELETE, jobId), Messages.render(locale, Msg.BUTTON_DELETE))
                        .withEmoji(Emoji.fromUnicode("🗑️")));
    }

    private static String shortId(String jobId) {
        String safe = jobId.replaceAll("[^A-Za-z0-9]", "");
        return safe.length() > 12 ? safe.substring(0, 12) : safe;
    }
}
