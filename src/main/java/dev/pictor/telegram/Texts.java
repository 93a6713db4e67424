package dev.pictor.telegram;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.chat.JobDetails;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** What members read: captions, help, a job's details ({@code /quota} is the core's {@link dev.pictor.core.QuotaText}). Plain text (no parse mode, nothing to escape). */
final class Texts {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /** {@code s} cut to at most {@code max} UTF-16 units (Telegram's measure), ending in "…" when cut. */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    /** The prompt (cut to fit), then the model and the seed, within Telegram's 1,024-character caption. */
    static String caption(ImagineRequest request, Long seed) {
        String tail = "\n\n" + request.model().id() + (seed != null ? " · seed " + seed : "");
        return cut(request.prompt(), Outbox.MAX_CAPTION - tail.length()) + tail;
    }

    static String buttonsNote(int images, ImagineRequest request, Long seed) {
        return images + " images · " + request.model().id() + (seed != null ? " · seed " + seed : "");
    }

    static String help(ModelCatalog catalog, String username) {
        ModelSpec def = catalog.defaultModel();
        String models = catalog.all().stream().map(m -> m == def ? m.id() + " (default)" : m.id())
                .collect(Collectors.joining(", "));
        return """
                /imagine <prompt> — I draw it. Options go after the prompt:
                  --ar 16:9  aspect ratio (%s)
                  --n 2      how many images (1–%d)
                  --seed 42  repeat a result
                  --model ID one of: %s
                  --no-enhance  use your prompt word for word
                Example: /imagine a red fox in fresh snow --ar 16:9 --n 2

                In a group, write /imagine@%s, or reply to one of my messages with a new prompt.
                Under each result: Re-roll (same prompt, new seed), Details, Delete.

                /quota — how many images you may still make
                /help — this text""".formatted(String.join(", ", def.capabilities().aspectRatios()),
                def.capabilities().maxImages(), models, username);
    }

    static String details(JobDetails job) {
        var sb = new StringBuilder("Details\n");
        sb.append("Model: ").append(job.modelId());
        if (job.provider() != null) {
            sb.append(" via ").append(job.provider());
            if (job.providerModel() != null) sb.append(" (").append(job.providerModel()).append(')');
        }
        sb.append('\n');
        sb.append("Seed: ").append(job.seed() != null ? job.seed() : "chosen by the service, not reported").append('\n');
        sb.append("Aspect: ").append(job.aspect()).append(" · images: ").append(job.delivered())
                .append(" of ").append(job.asked()).append('\n');
        sb.append("Prompt: ").append(job.prompt()).append('\n');
        if (job.revisedPrompt() != null) {
            sb.append("Revised prompt: ").append(job.revisedPrompt()).append('\n');
        }
        sb.append("Made: ").append(WHEN.format(job.askedAt()));
        if (job.took() != null) {
            sb.append(" in ").append(seconds(job.took()));
        }
        return cut(sb.toString(), Outbox.MAX_TEXT);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
