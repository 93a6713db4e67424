package dev.pictor.core.port;

import java.util.List;

/**
 * A provider's answer. It may hold fewer images than asked (a safety filter drops them silently), or none.
 *
 * @param seed  the seed the provider reports having used, or null
 * @param spend what the call cost in the provider's unit (its {@code credits_used}, or the configured price per
 *              image times the images returned), or null when unknown
 * @param cost  what the call cost in the configured currency as the provider reported it (its credits times the
 *              provider's {@code credit-price}), or null when it reported none or there is no conversion; the core
 *              then prices the images by the route
 */
public record ProviderResult(List<ProviderImage> images, Long seed, Double spend, Double cost) {
    public ProviderResult {
        images = List.copyOf(images);
    }

    /** An answer without a reported cost in the configured currency. */
    public ProviderResult(List<ProviderImage> images, Long seed, Double spend) {
        this(images, seed, spend, null);
    }
}
