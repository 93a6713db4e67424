package dev.pictor.core;

import java.time.Duration;

/** What waits between a route's attempts: the thread sleeps in production, a test records the waits instead. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread. */
    Sleeper REAL = d -> Thread.sleep(d);

    void sleep(Duration d) throws InterruptedException;
}
