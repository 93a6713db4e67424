package dev.pictor.core;

import java.util.List;

/**
 * What a model accepts, so that a request it cannot serve is refused before anything is charged.
 *
 * @param aspectRatios   the ratios it makes, the first being the default ("1:1", "16:9", …)
 * @param maxImages      most images one request may ask for
 * @param seed           whether a seed may be given
 * @param maxPromptChars longest prompt accepted, in characters
 * @param enhance        whether the provider can rewrite (enhance) the prompt
 */
public record ModelCapabilities(List<String> aspectRatios, int maxImages, boolean seed, int maxPromptChars,
                                boolean enhance) {
    public ModelCapabilities {
        aspectRatios = List.copyOf(aspectRatios);
        if (aspectRatios.isEmpty()) throw new IllegalArgumentException("a model needs at least one aspect ratio");
        if (maxImages < 1) throw new IllegalArgumentException("maxImages must be at least 1");
        if (maxPromptChars < 1) throw new IllegalArgumentException("maxPromptChars must be at least 1");
    }

    public String defaultAspect() {
        return aspectRatios.getFirst();
    }
}
