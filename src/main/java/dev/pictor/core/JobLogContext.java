package dev.pictor.core;

import org.slf4j.MDC;

import java.util.Map;

/**
 * A job's keys in the logging MDC ({@code job}, {@code platform}, {@code model}), which every log line of the job
 * carries, and how a job waiting for its turn sets them aside. Logback keeps a thread's MDC in two maps of its own
 * (the keys, and a read-only copy made for log lines) for as long as the thread lives, even once their keys are
 * removed: ~0.5 KB a thread. A job waiting for a provider slot, its provider's rate or image memory logs nothing, so
 * while it waits it holds the three values only, and its thread no maps (issue #15, live heap per waiting job).
 */
final class JobLogContext {
    static final String JOB = "job";
    static final String PLATFORM = "platform";
    static final String MODEL = "model";

    /** What {@link #setAside()} took from a thread that carried no job keys: nothing to put back. */
    private static final JobLogContext NONE = new JobLogContext(null, null, null);

    private final String job;
    private final String platform;
    private final String model;

    private JobLogContext(String job, String platform, String model) {
        this.job = job;
        this.platform = platform;
        this.model = model;
    }

    /** Puts job {@code jobId}'s keys in the calling thread's MDC. */
    static void put(String jobId, ImagineRequest request) {
        new JobLogContext(jobId, request.requester().platform().id(), request.model().id()).putBack();
    }

    /** Takes the job's keys out of the calling thread's MDC (and its maps, when nothing else was in it). */
    static void remove() {
        MDC.remove(JOB);
        MDC.remove(PLATFORM);
        MDC.remove(MODEL);
        Map<String, String> left = MDC.getCopyOfContextMap();
        if (left == null || left.isEmpty()) MDC.clear(); // logback drops its maps only when cleared
    }

    /** A wait of a job for its turn. */
    interface Wait<T> {
        T await() throws InterruptedException;
    }

    /**
     * Waits with {@code wait}, the job's keys taken out of the calling thread's MDC meanwhile (as {@link #remove()})
     * and put back once the wait is over, however it ends.
     */
    static <T> T aside(Wait<T> wait) throws InterruptedException {
        JobLogContext context = setAside();
        try {
            return wait.await();
        } finally {
            context.putBack();
        }
    }

    /** Takes the job's keys out of the calling thread's MDC, as {@link #remove()}, and returns them. */
    private static JobLogContext setAside() {
        String job = MDC.get(JOB), platform = MDC.get(PLATFORM), model = MDC.get(MODEL);
        if (job == null && platform == null && model == null) return NONE;
        remove();
        return new JobLogContext(job, platform, model);
    }

    /** Puts these keys in the calling thread's MDC. */
    private void putBack() {
        if (job != null) MDC.put(JOB, job);
        if (platform != null) MDC.put(PLATFORM, platform);
        if (model != null) MDC.put(MODEL, model);
    }
}
