package dev.pictor.core.chat;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.port.JobView;

import java.time.Duration;
import java.time.Instant;

/**
 * What the Details button shows about a job, the same facts on every platform (each renders them in its own
 * markup): the prompt and the service's rewrite of it, the model, which provider answered with which of its models,
 * the seed, the aspect, how many images reached the chat of how many asked, whether enhance was on, when it was
 * asked, how long it took, and the job's id.
 *
 * @param revisedPrompt the service's rewrite of the prompt; null when it reported none (or a blank one)
 * @param provider      the provider that answered; null when none did
 * @param seed          only a seed the answering provider confirmed; null when the service chose one and did not say
 * @param took          from asking to the end; null while the job still runs
 */
public record JobDetails(String jobId, String prompt, String revisedPrompt, String modelId, String modelLabel,
                         String provider, String providerModel, Long seed, String aspect, int delivered, int asked,
                         boolean enhance, Instant askedAt, Duration took) {

    /** The details of a job as the ledger recorded it. */
    public static JobDetails of(JobView job) {
        ImagineRequest r = job.request();
        String revised = job.revisedPrompt() == null || job.revisedPrompt().isBlank() ? null : job.revisedPrompt();
        Duration took = job.finishedAt() == null ? null : Duration.between(job.createdAt(), job.finishedAt());
        return new JobDetails(job.id(), r.prompt(), revised, r.model().id(), r.model().label(), job.provider(),
                job.provider() == null ? null : job.providerModel(), job.seed(), r.aspect(), job.delivered(), r.count(),
                r.enhance(), job.createdAt(), took);
    }
}
