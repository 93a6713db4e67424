package dev.pictor.discord;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.Refusal;
import dev.pictor.core.chat.ChatText;
import dev.pictor.core.chat.JobDetails;
import dev.pictor.core.chat.RestartNotice;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobView;
import dev.pictor.core.text.FlagHelp;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Discord's renderer of what a member reads: the catalog's sentences ({@link Messages}) in the member's language,
 * with Discord's markup (bold, code spans, mentions, timestamps) and its 2,000-character limit.
 */
final class DiscordText {
    static final int MAX_CONTENT = 2000;

    private DiscordText() {
    }

    static String progress(Locale locale, Delivery.Progress progress, ImagineRequest request) {
        return switch (progress) {
            case QUEUED -> Messages.render(locale, Msg.PROGRESS_QUEUED, "count", request.count());
            case GENERATING -> Messages.render(locale, Msg.PROGRESS_GENERATING, "count", request.count(),
                    "model", request.model().label());
        };
    }

    /** The text under the delivered images: prompt, model, seed, requester, and what was left out. */
    static String caption(Locale locale, Generated g, int shown, int leftOutToFit) {
        ImagineRequest r = g.request();
        StringBuilder tail = new StringBuilder();
        tail.append("\n").append(r.model().label()).append(" · ").append(r.aspect());
        Long seed = g.seed(); // only a seed the answering provider confirmed
        if (seed != null) tail.append(" · ").append(Messages.render(locale, Msg.CAPTION_SEED, "seed", seed.toString()));
        tail.append(" · ").append(Messages.render(locale, Msg.CAPTION_FOR, "member", "<@" + r.requester().userId() + ">"));
        int missing = r.count() - shown;
        if (missing > 0) {
            String why = g.missing() > 0 && leftOutToFit == 0 ? "safety" : leftOutToFit > 0 ? "tooLarge" : "none";
            tail.append("\n").append(Messages.render(locale, Msg.DISCORD_CAPTION_MISSING, "missing", missing,
                    "count", r.count(), "why", why));
        }
        String prompt = MarkdownSanitizer.escape(r.prompt());
        int room = MAX_CONTENT - tail.length() - 4; // the ** around the prompt
        if (prompt.length() > room) prompt = prompt.substring(0, Math.max(0, room - 1)) + "…";
        return "**" + prompt + "**" + tail;
    }

    static String refusal(Locale locale, Refusal refusal) {
        return fit(refusal.message(locale));
    }

    static Text busy() {
        return ChatText.busy();
    }

    static Text internalError() {
        return ChatText.internalError();
    }

    /** {@code /help}: the command, its slash options, the prompt's flags (from the parser's list), buttons, models. */
    static String help(Locale locale, ModelCatalog catalog) {
        String flags = FlagHelp.lines(locale, catalog).stream()
                .map(l -> "• `" + l.flag().usage() + "` " + l.description())
                .collect(Collectors.joining("\n"));
        String example = Messages.render(locale, Msg.HELP_EXAMPLE_PROMPT) + " "
                + OptionParser.Flag.listed().stream().map(OptionParser.Flag::example).collect(Collectors.joining(" "));
        String models = catalog.all().stream()
                .map(m -> "• " + Messages.render(locale, Msg.HELP_DISCORD_MODEL,
                        "model", "`" + m.id() + "`" + (m.label().equals(m.id()) ? "" : " (" + m.label() + ")"),
                        "aspects", String.join(", ", m.capabilities().aspectRatios()), "max", m.capabilities().maxImages()))
                .collect(Collectors.joining("\n"));
        return fit(String.join("\n",
                Messages.render(locale, Msg.HELP_DISCORD_IMAGINE, "command", "**/imagine**", "prompt", "`prompt:`",
                        "options", "`model`, `aspect`, `count`, `seed`, `enhance`"),
                flags,
                Messages.render(locale, Msg.HELP_DISCORD_EXAMPLE, "example", "`" + example + "`"),
                Messages.render(locale, Msg.HELP_DISCORD_QUOTA, "command", "**/quota**"),
                Messages.render(locale, Msg.HELP_DISCORD_BUTTONS,
                        "reroll", "🎲 **" + Messages.render(locale, Msg.BUTTON_REROLL) + "**",
                        "details", "**" + Messages.render(locale, Msg.BUTTON_DETAILS) + "**",
                        "delete", "🗑️ **" + Messages.render(locale, Msg.BUTTON_DELETE) + "**"),
                "**" + Messages.render(locale, Msg.HELP_DISCORD_MODELS, "model", "`" + catalog.defaultModel().id() + "`") + "**",
                models));
    }

    static String details(Locale locale, JobDetails job) {
        var sb = new StringBuilder();
        sb.append(label(locale, Msg.DETAILS_PROMPT)).append(MarkdownSanitizer.escape(job.prompt()));
        if (job.revisedPrompt() != null) {
            sb.append("\n").append(label(locale, Msg.DETAILS_REWRITTEN)).append(MarkdownSanitizer.escape(job.revisedPrompt()));
        }
        sb.append("\n").append(label(locale, Msg.DETAILS_MODEL)).append(job.modelLabel()).append(" (`").append(job.modelId()).append("`)");
        if (job.provider() != null) {
            sb.append("\n").append(label(locale, Msg.DETAILS_PROVIDER)).append(job.provider());
            if (job.providerModel() != null) sb.append(" (`").append(job.providerModel()).append("`)");
        }
        Long seed = job.seed(); // only a seed the answering provider confirmed
        sb.append("\n").append(label(locale, Msg.DETAILS_SEED))
                .append(seed == null ? Messages.render(locale, Msg.DETAILS_SEED_UNKNOWN) : seed.toString());
        sb.append("\n").append(label(locale, Msg.DETAILS_ASPECT)).append(job.aspect())
                .append(" · ").append(label(locale, Msg.DETAILS_IMAGES))
                .append(Messages.render(locale, Msg.DETAILS_IMAGES_OF, "delivered", job.delivered(), "asked", job.asked()))
                .append(" · ").append(label(locale, Msg.DETAILS_ENHANCE))
                .append(Messages.render(locale, Msg.DETAILS_ENHANCE_VALUE, "on", job.enhance()));
        sb.append("\n").append(label(locale, Msg.DETAILS_ASKED)).append("<t:").append(job.askedAt().getEpochSecond()).append(":f>");
        if (job.took() != null) {
            sb.append(" · **").append(Messages.render(locale, Msg.DETAILS_TOOK)).append("** ")
                    .append(Messages.render(locale, Msg.DETAILS_SECONDS, "seconds", job.took().toMillis() / 1000.0));
        } else {
            sb.append(" · ").append(Messages.render(locale, Msg.DETAILS_RUNNING));
        }
        sb.append("\n").append(label(locale, Msg.DETAILS_JOB)).append("`").append(job.jobId()).append("`");
        return fit(sb.toString());
    }

    /** {@code **Seed:** } */
    private static String label(Locale locale, Msg msg) {
        return "**" + Messages.render(locale, msg) + ":** ";
    }

    /** A direct message to a member whose job a stopped process left unfinished (repaired at this start). */
    static String interrupted(Locale locale, RestartNotice notice) {
        JobView job = notice.job();
        String prompt = job.request().prompt();
        String cut = prompt.length() > 200 ? prompt.substring(0, 199) + "…" : prompt;
        return fit(Messages.render(locale, ChatText.restarted(MarkdownSanitizer.escape(cut),
                "<t:" + job.createdAt().getEpochSecond() + ":R>", notice)));
    }

    static Text jobGone() {
        return Text.of(Msg.DISCORD_JOB_GONE);
    }

    static Text notYours() {
        return Text.of(Msg.DISCORD_NOT_YOURS);
    }

    static Text unknownCommand() {
        return Text.of(Msg.DISCORD_UNKNOWN_COMMAND);
    }

    static Text unknownButton() {
        return Text.of(Msg.DISCORD_UNKNOWN_BUTTON);
    }

    static String fit(String text) {
        return text.length() <= MAX_CONTENT ? text : text.substring(0, MAX_CONTENT - 1) + "…";
    }
}
