package dev.pictor.telegram;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.chat.JobDetails;
import dev.pictor.core.text.FlagHelp;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Telegram's renderer of what members read: captions, help, a job's details, from the catalog's sentences
 * ({@link Messages}) in the member's language ({@code /quota} is the core's {@link dev.pictor.core.text.QuotaSummary}).
 * Plain text (no parse mode, nothing to escape), within Telegram's limits.
 */
final class TelegramText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private TelegramText() {
    }

    /** A refusal as the member reads it in a message: its sentence, and when to try again if that is known. */
    static String refusal(java.util.Locale locale, dev.pictor.core.Refusal refusal) {
        return cut(refusal.message(locale), Outbox.MAX_TEXT);
    }

    /** {@code s} cut to at most {@code max} UTF-16 units (Telegram's measure), ending in "…" when cut. */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    /** The prompt (cut to fit), then the model and the seed, within Telegram's 1,024-character caption. */
    static String caption(Locale locale, ImagineRequest request, Long seed) {
        String tail = "\n\n" + request.model().id() + seed(locale, seed);
        return cut(request.prompt(), Outbox.MAX_CAPTION - tail.length()) + tail;
    }

    static String buttonsNote(Locale locale, int images, ImagineRequest request, Long seed) {
        return Messages.render(locale, Msg.TELEGRAM_IMAGES, "count", images) + " · " + request.model().id() + seed(locale, seed);
    }

    private static String seed(Locale locale, Long seed) {
        return seed == null ? "" : " · " + Messages.render(locale, Msg.CAPTION_SEED, "seed", seed.toString());
    }

    /** {@code a red fox in fresh snow --ar 16:9}: the example prompt with its first flag. */
    static String examplePrompt(Locale locale, OptionParser.Flag... flags) {
        String example = Messages.render(locale, Msg.HELP_EXAMPLE_PROMPT);
        for (OptionParser.Flag f : flags) example += " " + f.example();
        return example;
    }

    /** {@code /help}: the command, the prompt's flags (from the parser's list), groups, buttons, the other commands. */
    static String help(Locale locale, ModelCatalog catalog, String username) {
        var lines = FlagHelp.lines(locale, catalog);
        int width = lines.stream().mapToInt(l -> l.flag().usage().length()).max().orElse(0);
        String flags = lines.stream()
                .map(l -> "  " + l.flag().usage() + " ".repeat(width - l.flag().usage().length()) + "  " + l.description())
                .collect(Collectors.joining("\n"));
        return String.join("\n",
                Messages.render(locale, Msg.HELP_TELEGRAM_IMAGINE),
                flags,
                Messages.render(locale, Msg.HELP_TELEGRAM_EXAMPLE,
                        "example", "/imagine " + examplePrompt(locale, OptionParser.Flag.ASPECT, OptionParser.Flag.COUNT)),
                "",
                Messages.render(locale, Msg.HELP_TELEGRAM_GROUPS, "bot", username),
                Messages.render(locale, Msg.HELP_TELEGRAM_BUTTONS, "reroll", Messages.render(locale, Msg.BUTTON_REROLL),
                        "details", Messages.render(locale, Msg.BUTTON_DETAILS), "delete", Messages.render(locale, Msg.BUTTON_DELETE)),
                "",
                Messages.render(locale, Msg.HELP_TELEGRAM_QUOTA),
                Messages.render(locale, Msg.HELP_TELEGRAM_HELP));
    }

    static String details(Locale locale, JobDetails job) {
        var sb = new StringBuilder(Messages.render(locale, Msg.TELEGRAM_DETAILS_TITLE)).append('\n');
        String model = job.modelId();
        if (job.provider() != null) {
            model = Messages.render(locale, Msg.TELEGRAM_DETAILS_VIA, "model", model, "provider", job.provider()
                    + (job.providerModel() != null ? " (" + job.providerModel() + ")" : ""));
        }
        sb.append(label(locale, Msg.DETAILS_MODEL)).append(model).append('\n');
        sb.append(label(locale, Msg.DETAILS_SEED))
                .append(job.seed() != null ? job.seed().toString() : Messages.render(locale, Msg.DETAILS_SEED_UNKNOWN)).append('\n');
        sb.append(label(locale, Msg.DETAILS_ASPECT)).append(job.aspect()).append(" · ").append(label(locale, Msg.DETAILS_IMAGES))
                .append(Messages.render(locale, Msg.DETAILS_IMAGES_OF, "delivered", job.delivered(), "asked", job.asked())).append('\n');
        sb.append(label(locale, Msg.DETAILS_PROMPT)).append(job.prompt()).append('\n');
        if (job.revisedPrompt() != null) {
            sb.append(label(locale, Msg.TELEGRAM_DETAILS_REVISED)).append(job.revisedPrompt()).append('\n');
        }
        sb.append(label(locale, Msg.TELEGRAM_DETAILS_MADE)).append(job.took() == null ? WHEN.format(job.askedAt())
                : Messages.render(locale, Msg.TELEGRAM_DETAILS_MADE_IN, "when", WHEN.format(job.askedAt()),
                "took", Messages.render(locale, Msg.DETAILS_SECONDS, "seconds", job.took().toMillis() / 1000.0)));
        return cut(sb.toString(), Outbox.MAX_TEXT);
    }

    private static String label(Locale locale, Msg msg) {
        return Messages.render(locale, msg) + ": ";
    }
}
