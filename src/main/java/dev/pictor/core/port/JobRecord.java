package dev.pictor.core.port;

import dev.pictor.core.ImagineRequest;

import java.time.Instant;

/**
 * A job as it is opened in the ledger: its id, the accepted request, when it arrived, and the platform event that
 * asked for it ({@code origin}, unique per event; null when there is nothing to deduplicate, as on the terminal).
 */
public record JobRecord(String id, ImagineRequest request, Instant createdAt, String origin) {
    public JobRecord(String id, ImagineRequest request, Instant createdAt) {
        this(id, request, createdAt, null);
    }
}
