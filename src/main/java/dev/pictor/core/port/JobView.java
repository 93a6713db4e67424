package dev.pictor.core.port;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;

import java.time.Instant;

/**
 * A recorded job as buttons need it after a restart (Re-roll, Details): the request, its state, which gateway
 * answered, the seed and rewritten prompt, and its times ({@code finishedAt} null while it runs).
 */
public record JobView(String id, ImagineRequest request, JobStatus status, String provider, String providerModel,
                      int delivered, Long seed, String revisedPrompt, Instant createdAt, Instant finishedAt) {
}
