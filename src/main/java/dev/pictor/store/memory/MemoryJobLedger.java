package dev.pictor.store.memory;

import dev.pictor.core.JobStatus;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job ledger kept in memory for as long as the process runs (what {@code pictor imagine} uses until the SQLite
 * ledger is wired). A job is opened once and closed once; anything else is an error.
 */
public final class MemoryJobLedger implements JobLedger {
    private record Entry(JobRecord record, Instant startedAt, JobClosing closing) {
    }

    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();

    @Override
    public void opened(JobRecord job) {
        if (jobs.putIfAbsent(job.id(), new Entry(job, null, null)) != null) {
            throw new IllegalStateException("job " + job.id() + " is opened already");
        }
    }

    @Override
    public void started(String jobId, Instant at) {
        jobs.computeIfPresent(jobId, (id, e) -> new Entry(e.record(), at, e.closing()));
    }

    @Override
    public void closed(JobClosing closing) {
        jobs.compute(closing.id(), (id, e) -> {
            if (e == null) throw new IllegalStateException("job " + id + " was never opened");
            if (e.closing() != null) throw new IllegalStateException("job " + id + " is closed already");
            return new Entry(e.record(), e.startedAt(), closing);
        });
    }

    @Override
    public Optional<JobView> find(String jobId) {
        Entry e = jobs.get(jobId);
        if (e == null) return Optional.empty();
        JobRecord r = e.record();
        JobClosing c = e.closing();
        if (c == null) {
            return Optional.of(new JobView(jobId, r.request(), e.startedAt() == null ? JobStatus.QUEUED : JobStatus.RUNNING,
                    null, null, 0, r.request().seed(), null, r.createdAt(), null));
        }
        return Optional.of(new JobView(jobId, r.request(), c.status(), c.provider(), c.providerModel(), c.delivered(),
                c.seed(), c.revisedPrompt(), r.createdAt(), c.finishedAt()));
    }
}
