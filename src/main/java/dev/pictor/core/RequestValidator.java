package dev.pictor.core;

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
            return Checked.refused(Refusal.Reason.EMPTY_PROMPT,
                    "Your prompt is empty: say what you want to see, for example \"a red fox in fresh snow --ar 16:9\".");
        }
        ModelSpec model;
        if (o.model() == null) {
            model = catalog.defaultModel();
        } else {
            var found = catalog.find(o.model());
            if (found.isEmpty()) {
                return Checked.refused(Refusal.Reason.UNKNOWN_MODEL, "There is no model " + OptionParser.shown(o.model())
                        + ". Choose one of: " + catalog.all().stream().map(ModelSpec::id).collect(Collectors.joining(", ")) + ".");
            }
            model = found.get();
        }
        ModelCapabilities caps = model.capabilities();
        int length = prompt.codePointCount(0, prompt.length());
        if (length > caps.maxPromptChars()) {
            return Checked.refused(Refusal.Reason.PROMPT_TOO_LONG, "Your prompt is " + length + " characters long; "
                    + model.id() + " takes at most " + caps.maxPromptChars() + ". Please shorten it.");
        }
        String banned = bannedTermIn(prompt);
        if (banned != null) {
            return Checked.refused(Refusal.Reason.BANNED_TERM,
                    "This community does not allow the term \"" + banned + "\" in prompts. Please rephrase.");
        }
        String aspect = o.aspect() == null ? caps.defaultAspect() : o.aspect();
        if (!caps.aspectRatios().contains(aspect)) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_ASPECT, model.id() + " does not make " + aspect
                    + " images. Choose one of: " + String.join(", ", caps.aspectRatios()) + ".");
        }
        int count = o.count() == null ? 1 : o.count();
        if (count < 1 || count > caps.maxImages()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_COUNT, caps.maxImages() == 1
                    ? model.id() + " makes one image per request."
                    : model.id() + " makes 1 to " + caps.maxImages() + " images per request, not " + count + ".");
        }
        if (o.seed() != null && !caps.seed()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_SEED, model.id() + " does not take a seed; leave --seed out.");
        }
        if (o.seed() != null && (o.seed() < 0 || o.seed() > OptionParser.MAX_SEED)) {
            return Checked.refused(Refusal.Reason.BAD_OPTION, "The seed must be a whole number from 0 to " + OptionParser.MAX_SEED + ".");
        }
        if (Boolean.TRUE.equals(o.enhance()) && !caps.enhance()) {
            return Checked.refused(Refusal.Reason.UNSUPPORTED_ENHANCE, model.id() + " cannot enhance prompts; leave enhance off.");
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
