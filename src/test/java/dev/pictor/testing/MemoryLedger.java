package dev.pictor.testing;

import dev.pictor.core.JobStatus;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test ledger in memory; fails the test if a job is closed twice or closed without being opened. */
public class MemoryLedger implements JobLedger {
    public final Map<String, JobRecord> opened = new ConcurrentHashMap<>();
    public final Map<String, JobClosing> closed = new ConcurrentHashMap<>();
    public final Map<String, List<JobPost>> posts = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean opened(JobRecord job) {
        if (job.origin() != null && opened.values().stream().anyMatch(j -> job.origin().equals(j.origin()))) return false;
        if (opened.putIfAbsent(job.id(), job) != null) throw new AssertionError("job opened twice: " + job.id());
        return true;
    }

    @Override
    public void started(String jobId, Instant at) {
        if (!opened.containsKey(jobId)) throw new AssertionError("started before opened: " + jobId);
    }

    @Override
    public void answered(String jobId, String provider, String providerModel, Double spend, Long seed, String revisedPrompt) {
        if (!opened.containsKey(jobId)) throw new AssertionError("answered before opened: " + jobId);
    }

    @Override
    public void posted(String jobId, List<JobPost> posts) {
        if (closed.containsKey(jobId)) throw new AssertionError("posted after closed: " + jobId);
        this.posts.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).addAll(posts);
    }

    @Override
    public void closed(JobClosing closing) {
        if (!opened.containsKey(closing.id())) throw new AssertionError("closed before opened: " + closing.id());
        if (closed.putIfAbsent(closing.id(), closing) != null) throw new AssertionError("job closed twice: " + closing.id());
    }

    @Override
    public Optional<JobView> find(String jobId) {
        JobRecord r = opened.get(jobId);
        if (r == null) return Optional.empty();
        JobClosing c = closed.get(jobId);
        return Optional.of(c == null
                ? new JobView(jobId, r.request(), JobStatus.RUNNING, null, null, 0, r.request().seed(), null, r.createdAt(), null,
                posts.get(jobId))
                : new JobView(jobId, r.request(), c.status(), c.provider(), c.providerModel(), c.delivered(), c.seed(),
                c.revisedPrompt(), r.createdAt(), c.finishedAt(), posts.get(jobId)));
    }

    public JobClosing only() {
        if (closed.size() != 1) throw new AssertionError("expected one closed job, got " + closed.size());
        return closed.values().iterator().next();
    }
}
