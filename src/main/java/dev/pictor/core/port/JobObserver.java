package dev.pictor.core.port;

import dev.pictor.core.ImagineRequest;

import java.time.Duration;

/** Hears what the pipeline does, for metrics and logs. Every method has a default that does nothing. */
public interface JobObserver {
    JobObserver NONE = new JobObserver() {
    };

    /** A request entered the pipeline (in flight until {@link #jobEnded}). */
    default void jobStarted(ImagineRequest request) {
    }

    /** One call to a provider ended; {@code errorClass} is null on success. */
    default void providerCalled(String provider, Duration took, String errorClass) {
    }

    /** The job reached its terminal state; called exactly once per {@link #jobStarted}, unless {@link #jobFenced}. */
    default void jobEnded(ImagineRequest request, JobClosing closing, Duration took) {
    }

    /**
     * Instead of {@link #jobEnded}: the job was stopped before it posted (more), for another process has repaired it
     * (this one was cut off from the database and its lease claimed); that process recorded its end.
     */
    default void jobFenced(ImagineRequest request) {
    }
}
