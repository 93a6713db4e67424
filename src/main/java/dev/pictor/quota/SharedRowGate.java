package dev.pictor.quota;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets one charge at a time per process through a row that many charges share — a bot profile's daily cap, a
 * community's pool — so that charges queued behind it wait here, holding nothing, instead of each holding one of
 * the database's pooled connections while PostgreSQL makes it wait for the row's lock.
 *
 * <p>The database still decides (its row lock keeps processes apart, its transaction keeps the charge all or none);
 * this only keeps a process's own queue for a hot row out of its connection pool. Without it a burst of one bot's
 * charges took every connection of a process and whatever else needed one — a job's record, another member's
 * charge — failed after the pool's timeout. Keys share a fair lock when their hashes meet in the stripes, which
 * only makes two shared rows queue together in one process.
 */
final class SharedRowGate {
    private final ReentrantLock[] stripes;

    SharedRowGate(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) this.stripes[i] = new ReentrantLock(true);
    }

    /** Runs {@code work} alone among this process's works on {@code key}'s stripe; at once when the key is null. */
    <T> T around(String key, Supplier<T> work) {
        if (key == null) return work.get();
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
