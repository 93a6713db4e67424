package dev.pictor.core;

/** What became of one request: the job id (null if refused before one was opened), status, images delivered. */
public record JobOutcome(String jobId, JobStatus status, int delivered, Refusal refusal) {
}
