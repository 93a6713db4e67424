package dev.pictor.discord;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one job into the interaction's deferred reply: progress edits the reply, the images replace it (with the
 * caption and the Re-roll / Details / Delete buttons), a refusal reaches the member privately.
 */
final class InteractionDelivery implements Delivery {
    private static final long UPLOAD_TIMEOUT_SECONDS = 120;

    private final Reply reply;
    private final ImagineRequest request;
    private final long fileLimit;
    private final UploadFitter fitter;

    InteractionDelivery(Reply reply, ImagineRequest request, long fileLimit, UploadFitter fitter) {
        this.reply = reply;
        this.request = request;
        this.fileLimit = fileLimit;
        this.fitter = fitter;
    }

    @Override
    public void progress(Progress progress) {
        reply.show(DiscordText.progress(progress, request));
    }

    @Override
    public int deliver(Generated generated) throws IOException {
        String stem = "pictor-" + shortId(generated.jobId());
        UploadFitter.Fitted fitted = fitter.fit(generated.images(), fileLimit, stem);
        if (fitted.uploads().isEmpty()) {
            throw new IOException("none of the " + generated.images().size() + " images fit Discord's upload limit of "
                    + fileLimit + " bytes");
        }
        List<FileUpload> files = fitted.uploads().stream().map(u -> FileUpload.fromData(u.bytes(), u.filename())).toList();
        var data = new MessageEditBuilder()
                .setContent(DiscordText.caption(generated, fitted.uploads().size(), fitted.leftOut()))
                .setAttachments(files)
                .setComponents(buttons(generated.jobId()))
                .setAllowedMentions(Reply.NO_PINGS)
                .build();
        // Blocks this job's worker until Discord has the files: the core refunds what did not arrive.
        Message posted = reply.hook().editOriginal(data).timeout(UPLOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS).complete();
        return Math.min(fitted.uploads().size(), posted.getAttachments().size());
    }

    @Override
    public void refused(Refusal refusal) {
        reply.tell(DiscordText.refusal(refusal));
    }

    static ActionRow buttons(String jobId) {
        return ActionRow.of(
                Button.primary(ButtonIds.of(ButtonIds.Action.REROLL, jobId), "Re-roll").withEmoji(Emoji.fromUnicode("🎲")),
                Button.secondary(ButtonIds.of(ButtonIds.Action.DETAILS, jobId), "Details"),
                Button.danger(ButtonIds.of(ButtonIds.Action.DELETE, jobId), "Delete").withEmoji(Emoji.fromUnicode("🗑️")));
    }

    private static String shortId(String jobId) {
        String safe = jobId.replaceAll("[^A-Za-z0-9]", "");
        return safe.length() > 12 ? safe.substring(0, 12) : safe;
    }
}
