package dev.pictor.core;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget for the image bytes that jobs hold in memory at once. A job holds its decoded images from the provider's
 * answer until its upload ends, so a burst of jobs holds a burst of images; without a bound, enough of them at once
 * exhaust the heap. A job reserves what its images are expected to take ({@link #expectedFor}, from the sizes seen so
 * far when it is let in) before the provider is called, waiting while the budget is spent (the member sees "queued",
 * nothing is paid for yet), then settles the reservation to what its images really take and gives it back when it
 * ends.
 *
 * <p>A job alone always proceeds, however large, so that nothing waits forever; settling may go over the budget (the
 * images are already in memory by then) and only holds back the jobs that come after.
 *
 * <p>Waiting jobs are served in the order they came, and a share given back wakes only the jobs it lets in: each waits
 * on a condition of its own, and the one giving back hands the room over. (With one condition for all, every share
 * given back woke every waiting job to look again: under a burst of a thousand jobs, a thousand wake-ups per job.)
 * A job that comes while others wait queues behind them, even if it would fit.
 */
public final class ImageMemory {
    /** What one image is expected to take before any has been seen: about a 1024×1024 PNG from Imagen. */
    static final long FIRST_GUESS = 2L << 20;
    /** The share of the heap the images of running jobs may take by default. */
    static final double HEAP_SHARE = 0.4;

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>(); // guarded by lock: first come, first served
    private long used;      // guarded by lock
    private long average = FIRST_GUESS; // guarded by lock: a moving average of image sizes

    public ImageMemory(long capacityBytes) {
        if (capacityBytes <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacityBytes;
    }

    /** {@value #HEAP_SHARE} of this JVM's maximum heap. */
    public static ImageMemory forHeap() {
        return new ImageMemory((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    /** What {@code images} images are expected to take now. */
    public long expectedFor(int images) {
        lock.lock();
        try {
            return need(images);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes what {@code images} images are expected to take from the budget if it has it (or nothing is held at all)
     * and no job waits, without waiting; null if not.
     */
    public Reservation tryReserve(int images) {
        lock.lock();
        try {
            return takeIfFree(images);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes what {@code images} images are expected to take from the budget, waiting while it is spent or other jobs
     * wait before this one. The expectation is the one when the job is let in: the sizes seen while it waited count
     * (a burst right after a start waits on the first guess, and is let in on the sizes its first jobs brought).
     */
    public Reservation reserve(int images) throws InterruptedException {
        lock.lock();
        try {
            Reservation now = takeIfFree(images);
            if (now != null) return now;
            var me = new Waiter(images, lock.newCondition());
            waiting.addLast(me);
            try {
                while (me.granted == null) me.admitted.await();
            } catch (InterruptedException e) {
                if (me.granted != null) {
                    me.granted.close(); // let in as it was interrupted: the room goes on
                } else {
                    waiting.remove(me);
                    admitWaiting(); // it may have been the one holding back those behind it
                }
                throw e;
            }
            return me.granted;
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting for room now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved by running jobs now. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    public long capacity() {
        return capacity;
    }

    private long need(int images) {
        return average * images;
    }

    /** Room for {@code images} images now, unless the budget lacks it or jobs wait before this one; null if not. */
    private Reservation takeIfFree(int images) {
        if (!waiting.isEmpty()) return null;
        long bytes = need(images);
        return fits(bytes) ? take(bytes) : null;
    }

    private boolean fits(long bytes) {
        return used == 0 || used + bytes <= capacity;
    }

    private Reservation take(long bytes) {
        used += bytes;
        return new Reservation(bytes);
    }

    /** Lets in, in order, the waiting jobs the budget now has room for, waking each; stops at the first that does not fit. */
    private void admitWaiting() {
        for (Waiter next = waiting.peekFirst(); next != null; next = waiting.peekFirst()) {
            long bytes = need(next.images);
            if (!fits(bytes)) return;
            waiting.removeFirst();
            next.granted = take(bytes);
            next.admitted.signal();
        }
    }

    /** A job waiting for room: the images it asks room for, and what wakes it once it has it. Guarded by the lock. */
    private static final class Waiter {
        final int images;
        final Condition admitted;
        Reservation granted;

        Waiter(int images, Condition admitted) {
            this.images = images;
            this.admitted = admitted;
        }
    }

    /** One job's share of the budget. */
    public final class Reservation implements AutoCloseable {
        private long held; // guarded by ImageMemory.this.lock
        private boolean closed;

        private Reservation(long held) {
            this.held = held;
        }

        /** The job's images turned out to take {@code bytes} in all ({@code images} of them): hold exactly that. */
        public void settle(long bytes, int images) {
            lock.lock();
            try {
                if (closed) return;
                used += bytes - held;
                held = bytes;
                if (images > 0) average = Math.max(1, (average * 3 + bytes / images) / 4);
                admitWaiting();
            } finally {
                lock.unlock();
            }
        }

        /** Gives the share back (the job's images are no longer held); once. */
        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) return;
                closed = true;
                used -= held;
                held = 0;
                admitWaiting();
            } finally {
                lock.unlock();
            }
        }
    }
}
