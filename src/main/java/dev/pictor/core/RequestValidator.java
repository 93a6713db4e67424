package dev.pictor.core;

import dev.pictor.core.text.Msg;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks a parsed command against the catalog and the chosen model's capabilities and turns it into an
 * {@link ImagineRequest}, or into the refusal a member reads. Runs before anything is charged.
 */
public final class RequestValidator {
    private final ModelCatalog catalog;
    private final List<String> bannedTerms;

    public RequestValidator(ModelCatalog catalog, List<String> bannedTerms) {
        this.catalog = catalog;
        this.bannedTerms = bannedTerms.stream().map(RequestValidator::fold).filter(t -> !t.isBlank()).toList();
    }

    public Checked<ImagineRequest> validate(Requester who, PromptCommand command) {
        String prompt = command.prompt() == null ? "" : command.prompt().strip();
        ImagineOptions o = command.options() == null ? ImagineOptions.NONE : command.options();
        if (prompt.isEmpty()) {
            return Checked.refused(Refusal.Reason.EMPTY_PROMPT, Msg.REQUEST_EMPTY);
        }
        ModelSpec model;
        if (o.model() == null) {
            model = catalog.defaultModel();
        } else {
            var found = catalog.find(o.model());
            if (found.isEmpty()) {
                return Checked.refused(Refusal.Reason.UNKNOWN_MODEL, Msg.REQUEST_UNKNOWN_MODEL, "model", OptionParser.shown(o.model()),
                        "models", catalog.all().stream().map(ModelSpec::id).collect(Collectors.joining(", ")));
            }
            model = found.get();
        }
        ModelCapabilities caps = model.capabilities();
        int length = prompt.codePointCount(0, prompt.length());
        if (length > caps.maxPromptChars()) {
            return Checked.refused(Refusal.Reason.PROMPT_TOO_LONG, Msg.REQUEST_TOO_LONG, "length", length,
                    "model", model.id(), "max", caps.maxPromptChars());
        }
        String banned = bannedTermIn(prompt);
        if (banned != null) {
            return Checked.refused(Refusal.Reason.BANNED_TERM, Msg.REQUEST_BANNED, "term", banned);
        }
        String aspect = o.aspect() == null ? caps.defaultAspect() : o.aspect();
        if (!caps.aspectRatios().contains(aspect)) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_ASPECT, Msg.REQUEST_ASPECT, "model", model.id(),
                    "aspect", aspect, "aspects", String.join(", ", caps.aspectRatios()));
        }
        int count = o.count() == null ? 1 : o.count();
        if (count < 1 || count > caps.maxImages()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_COUNT, Msg.REQUEST_COUNT, "model", model.id(),
                    "max", caps.maxImages(), "count", count);
        }
        if (o.seed() != null && !caps.seed()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_SEED, Msg.REQUEST_SEED_UNSUPPORTED, "model", model.id());
        }
        if (o.seed() != null && (o.seed() < 0 || o.seed() > OptionParser.MAX_SEED)) {
            return Checked.refused(Refusal.Reason.BAD_OPTION, Msg.REQUEST_SEED_RANGE, "max", String.valueOf(OptionParser.MAX_SEED));
        }
        if (Boolean.TRUE.equals(o.enhance()) && !caps.enhance()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_ENHANCE, Msg.REQUEST_ENHANCE, "model", model.id());
        }
        boolean enhance = caps.enhance() && (o.enhance() == null || o.enhance());
        return Checked.ok(new ImagineRequest(who, prompt, model, aspect, count, o.seed(), enhance));
    }

    /** The first banned term the prompt contains as a whole word (ignoring case and accents), or null. */
    private String bannedTermIn(String prompt) {
        if (bannedTerms.isEmpty()) return null;
        String text = " " + fold(prompt).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
        for (String term : bannedTerms) {
            String t = " " + term.replaceAll("[^\\p{L}\\p{N}]+", " ").strip() + " ";
            if (text.contains(t)) return term;
        }
        return null;
    }

    private static String fold(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }
}
