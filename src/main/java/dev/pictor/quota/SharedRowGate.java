package dev.pictor.quota;

import dev.pictor.store.Database;
import dev.pictor.store.Dialect;
import dev.pictor.store.StoreException;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Only on PostgreSQL (SQLite has one connection and one lock per process: its writes queue there already), and only
 * for a thread not yet working on the database: one already inside a transaction (a repair refunding a dead
 * process's job) holds the database and must not wait here for a charge that waits for the database — that was a
 * deadlock on SQLite. A wait here is bounded ({@link #WAIT}) and interruptible, so a peer's stuck transaction on the
 * row fails this process's charges as the pool's timeout did, instead of holding them forever.
 */
final class SharedRowGate {
    /** The longest a charge waits here for the row's turn before it fails as the database being unavailable. */
    static final long WAIT_MILLIS = 30_000;

    private final Database db;
    private final ReentrantLock[] stripes;

    SharedRowGate(Database db, int stripes) {
        this.db = db;
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) this.stripes[i] = new ReentrantLock(true);
    }

    /**
     * Runs {@code work} alone among this process's works on {@code key}'s stripe; at once when the key is null, on
     * SQLite, or when this thread already works on the database.
     *
     * @throws StoreException when the row's turn did not come within {@link #WAIT_MILLIS}, or the wait was interrupted
     */
    <T> T around(String key, Supplier<T> work) {
        if (key == null || db.dialect() == Dialect.SQLITE || db.inUse()) return work.get();
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        try {
            if (!lock.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new StoreException("the quota of " + key + " was busy for " + WAIT_MILLIS / 1000 + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to charge " + key);
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
