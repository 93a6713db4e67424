package dev.pictor.core.port;

import java.util.List;

/**
 * A provider's answer. It may hold fewer images than asked (a safety filter drops them silently), or none.
 *
 * @param seed  the seed the provider reports having used, or null
 * @param spend what the call cost in the provider's unit (its {@code credits_used}, or the configured price per
 *              image times the images returned), or null when unknown
 */
public record ProviderResult(List<ProviderImage> images, Long seed, Double spend) {
    public ProviderResult {
        images = List.copyOf(images);
    }
}
