package dev.pictor.core.port;

import java.time.Instant;
import java.util.Optional;

/** Where jobs are recorded: opened when accepted, started when generation begins, closed once, terminally. */
public interface JobLedger {
    void opened(JobRecord job);

    void started(String jobId, Instant at);

    void closed(JobClosing closing);

    /** A recorded job by id, for buttons pressed later (even after a restart). */
    Optional<JobView> find(String jobId);
}
