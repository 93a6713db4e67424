package dev.pictor.core.port;

import dev.pictor.core.ImagineRequest;

import java.time.Instant;

/** A job as it is opened in the ledger: its id, the accepted request, and when it arrived. */
public record JobRecord(String id, ImagineRequest request, Instant createdAt) {
}
