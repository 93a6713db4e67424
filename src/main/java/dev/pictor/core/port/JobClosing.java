package dev.pictor.core.port;

import dev.pictor.core.JobStatus;

import java.time.Instant;
import java.util.List;

/**
 * How a job ended: its terminal status, the route that answered (null if none), images asked and delivered,
 * tokens charged and refunded, spend (the provider's own figure) and cost (in the configured currency; null when
 * unknown), the error class when it failed, the seed and rewritten prompt the provider reported, and what was
 * delivered.
 */
public record JobClosing(String id, JobStatus status, String provider, String providerModel, int asked, int delivered,
                         int charged, int refunded, Double spend, Double cost, String errorClass, Long seed,
                         String revisedPrompt, Instant finishedAt, List<ImageRecord> images) {
    public JobClosing {
        if (!status.terminal()) throw new IllegalArgumentException("a job closes in a terminal state, not " + status);
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** A closing whose cost in the configured currency is not known. */
    public JobClosing(String id, JobStatus status, String provider, String providerModel, int asked, int delivered,
                      int charged, int refunded, Double spend, String errorClass, Long seed, String revisedPrompt,
                      Instant finishedAt, List<ImageRecord> images) {
        this(id, status, provider, providerModel, asked, delivered, charged, refunded, spend, null, errorClass, seed,
                revisedPrompt, finishedAt, images);
    }

    /** One delivered image, as the ledger keeps it (not the bytes). */
    public record ImageRecord(int index, String sha256, int bytes, String mimeType, int width, int height) {
    }
}
