package dev.pictor.core.port;

import java.util.List;

/**
 * A gateway's answer. It may hold fewer images than asked (a safety filter drops them silently), or none.
 *
 * @param seed  the seed the gateway reports having used, or null
 * @param spend what the call cost in the gateway's unit (its {@code credits_used}, or the configured price per
 *              image times the images returned), or null when unknown
 */
public record GatewayResult(List<GatewayImage> images, Long seed, Double spend) {
    public GatewayResult {
        images = List.copyOf(images);
    }
}
