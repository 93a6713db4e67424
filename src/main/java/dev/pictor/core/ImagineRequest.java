package dev.pictor.core;

import java.util.Objects;

/**
 * A request the core accepted: every option resolved against the chosen model. {@code seed} is null when the
 * member gave none (the provider picks one).
 */
public record ImagineRequest(Requester requester, String prompt, ModelSpec model, String aspect, int count, Long seed,
                             boolean enhance) {
    public ImagineRequest {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(aspect, "aspect");
    }

    /** The same request with another seed (Re-roll). */
    public ImagineRequest withSeed(Long newSeed) {
        return new ImagineRequest(requester, prompt, model, aspect, count, newSeed, enhance);
    }

    /** The same request made by someone else (Re-roll pressed by another member). */
    public ImagineRequest by(Requester other) {
        return new ImagineRequest(other, prompt, model, aspect, count, seed, enhance);
    }
}
