package dev.pictor.core;

/**
 * What a member asked for beyond the prompt; null means "not given" so that options from two sources (Discord's
 * slash options and {@code --flags} in the prompt) can be laid over each other.
 */
public record ImagineOptions(String model, String aspect, Integer count, Long seed, Boolean enhance) {
    public static final ImagineOptions NONE = new ImagineOptions(null, null, null, null, null);

    /** These options with every non-null value of {@code over} laid on top. */
    public ImagineOptions overlay(ImagineOptions over) {
        if (over == null) return this;
        return new ImagineOptions(
                over.model != null ? over.model : model,
                over.aspect != null ? over.aspect : aspect,
                over.count != null ? over.count : count,
                over.seed != null ? over.seed : seed,
                over.enhance != null ? over.enhance : enhance);
    }
}
