package dev.pictor.core;

/** Where a job stands. Every accepted request ends in one of the terminal states. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED, REFUSED;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
