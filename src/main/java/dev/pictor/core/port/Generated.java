package dev.pictor.core.port;

import dev.pictor.core.Image;
import dev.pictor.core.ImagineRequest;

import java.time.Duration;
import java.util.List;

/**
 * What a job produced, ready to upload: the images (fewer than asked when a safety filter dropped some), the seed
 * and rewritten prompt the provider reported, which provider answered, how long it took, and where the adapter
 * reports each message the platform confirmed ({@link PostReceipts}).
 */
public record Generated(String jobId, ImagineRequest request, List<Image> images, Long seed, String revisedPrompt,
                        String provider, Duration took, PostReceipts receipts) {
    public Generated {
        images = List.copyOf(images);
        receipts = receipts == null ? PostReceipts.NONE : receipts;
    }

    /** A result whose posts are not recorded (tests, benchmarks, the terminal). */
    public Generated(String jobId, ImagineRequest request, List<Image> images, Long seed, String revisedPrompt,
                     String provider, Duration took) {
        this(jobId, request, images, seed, revisedPrompt, provider, took, PostReceipts.NONE);
    }

    /** How many images asked for did not come back. */
    public int missing() {
        return Math.max(0, request.count() - images.size());
    }
}
