package dev.pictor.core;

/** A prompt as a member typed it, split into its text and the options found in it. */
public record PromptCommand(String prompt, ImagineOptions options) {
}
