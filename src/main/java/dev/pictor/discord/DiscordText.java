package dev.pictor.discord;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.Refusal;
import dev.pictor.core.chat.ChatText;
import dev.pictor.core.chat.JobDetails;
import dev.pictor.core.chat.RestartNotice;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobView;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** Everything a Discord member reads, in one place. Every text stays within Discord's 2,000 characters. */
final class DiscordText {
    static final int MAX_CONTENT = 2000;

    private DiscordText() {
    }

    static String progress(Delivery.Progress progress, ImagineRequest request) {
        return switch (progress) {
            case QUEUED -> "⏳ Queued: the image service is busy, your " + images(request.count())
                    + " will start as soon as a slot is free…";
            case GENERATING -> "🎨 Generating " + images(request.count()) + " with " + request.model().label() + "…";
        };
    }

    /** The text under the delivered images: prompt, model, seed, requester, and what was left out. */
    static String caption(Generated g, int shown, int leftOutToFit) {
        ImagineRequest r = g.request();
        StringBuilder tail = new StringBuilder();
        tail.append("\n").append(r.model().label()).append(" · ").append(r.aspect());
        Long seed = g.seed(); // only a seed the answering provider confirmed
        if (seed != null) tail.append(" · seed ").append(seed);
        tail.append(" · for <@").append(r.requester().userId()).append(">");
        int missing = r.count() - shown;
        if (missing > 0) {
            tail.append("\n").append(missing == 1 ? "1 image" : missing + " images").append(" of ").append(r.count())
                    .append(" could not be shown");
            if (g.missing() > 0 && leftOutToFit == 0) tail.append(" (the image service's safety filter held it back)");
            else if (leftOutToFit > 0) tail.append(" (too large for Discord)");
            tail.append("; you were not charged for ").append(missing == 1 ? "it" : "them").append(".");
        }
        String prompt = MarkdownSanitizer.escape(r.prompt());
        int room = MAX_CONTENT - tail.length() - 4; // the ** around the prompt
        if (prompt.length() > room) prompt = prompt.substring(0, Math.max(0, room - 1)) + "…";
        return "**" + prompt + "**" + tail;
    }

    static String refusal(Refusal refusal) {
        return fit(refusal.message());
    }

    static String busy() {
        return ChatText.busy();
    }

    static String internalError() {
        return ChatText.internalError();
    }

    static String help(ModelCatalog catalog) {
        String models = catalog.all().stream()
                .map(m -> "`" + m.id() + "`" + (m.label().equals(m.id()) ? "" : " (" + m.label() + ")")
                        + " — " + String.join(", ", m.capabilities().aspectRatios())
                        + ", up to " + m.capabilities().maxImages())
                .collect(Collectors.joining("\n• ", "• ", ""));
        return fit("""
                **/imagine** `prompt:` what you want to see. Options: `model`, `aspect`, `count` (how many images), \
                `seed` (repeat a result), `enhance` (let the service rewrite your prompt).
                You can also write the options inside the prompt: `a red fox in snow --ar 16:9 --n 2 --seed 42 \
                --model %s --no-enhance`. When both are given, the slash options win.
                **/quota** shows how many images you may still make and when more come back.
                Under every result: 🎲 **Re-roll** (same prompt, new seed; counts as a new request), \
                **Details** (seed, rewritten prompt, model, service, time), 🗑️ **Delete** (the requester or moderators).
                **Models** (default `%s`):
                %s""".formatted(catalog.defaultModel().id(), catalog.defaultModel().id(), models));
    }

    static String details(JobDetails job) {
        var sb = new StringBuilder();
        sb.append("**Prompt:** ").append(MarkdownSanitizer.escape(job.prompt()));
        if (job.revisedPrompt() != null) {
            sb.append("\n**Rewritten by the service:** ").append(MarkdownSanitizer.escape(job.revisedPrompt()));
        }
        sb.append("\n**Model:** ").append(job.modelLabel()).append(" (`").append(job.modelId()).append("`)");
        if (job.provider() != null) {
            sb.append("\n**Provider:** ").append(job.provider());
            if (job.providerModel() != null) sb.append(" (`").append(job.providerModel()).append("`)");
        }
        Long seed = job.seed(); // only a seed the answering provider confirmed
        sb.append("\n**Seed:** ").append(seed == null ? "chosen by the service, not reported" : seed.toString());
        sb.append("\n**Aspect:** ").append(job.aspect()).append(" · **Images:** ").append(job.delivered()).append(" of ")
                .append(job.asked()).append(" · **Enhance:** ").append(job.enhance() ? "on" : "off");
        sb.append("\n**Asked:** <t:").append(job.askedAt().getEpochSecond()).append(":f>");
        if (job.took() != null) {
            sb.append(" · **took** ").append(seconds(job.took()));
        } else {
            sb.append(" · still running");
        }
        sb.append("\n**Job:** `").append(job.jobId()).append("`");
        return fit(sb.toString());
    }

    /** A direct message to a member whose job a stopped process left unfinished (repaired at this start). */
    static String interrupted(RestartNotice notice) {
        JobView job = notice.job();
        String prompt = job.request().prompt();
        String cut = prompt.length() > 200 ? prompt.substring(0, 199) + "…" : prompt;
        return fit(ChatText.restarted(MarkdownSanitizer.escape(cut))
                + " (asked <t:" + job.createdAt().getEpochSecond() + ":R>). " + notice.outcome());
    }

    static String jobGone() {
        return "I have no record of that job any more, so this button cannot be used. Start a new /imagine instead.";
    }

    static String notYours() {
        return "Only the member who asked for these images, or a moderator with Manage Messages, can delete them.";
    }

    static String unknownCommand() {
        return "This command is no longer offered by pictor. Type / to see the current ones.";
    }

    static String unknownButton() {
        return "This button no longer works. Start a new /imagine instead.";
    }

    static String images(int n) {
        return n == 1 ? "1 image" : n + " images";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String fit(String text) {
        return text.length() <= MAX_CONTENT ? text : text.substring(0, MAX_CONTENT - 1) + "…";
    }
}
