package dev.pictor.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget for the image bytes that jobs hold in memory at once. A job holds its decoded images from the provider's
 * answer until its upload ends, so a burst of jobs holds a burst of images; without a bound, enough of them at once
 * exhaust the heap. A job reserves what its images are expected to take ({@link #expectedFor}, from the sizes seen so
 * far) before the provider is called, waiting while the budget is spent (the member sees "queued", nothing is paid for
 * yet), then settles the reservation to what its images really take and gives it back when it ends.
 *
 * <p>A job alone always proceeds, however large, so that nothing waits forever; settling may go over the budget (the
 * images are already in memory by then) and only holds back the jobs that come after.
 */
public final class ImageMemory {
    /** What one image is expected to take before any has been seen: about a 1024×1024 PNG from Imagen. */
    static final long FIRST_GUESS = 2L << 20;
    /** The share of the heap the images of running jobs may take by default. */
    static final double HEAP_SHARE = 0.4;

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
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

    /** What {@code images} images are expected to take. */
    public long expectedFor(int images) {
        lock.lock();
        try {
            return average * images;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} from the budget if it has them (or nothing is held at all) without waiting; null if not. */
    public Reservation tryReserve(long bytes) {
        lock.lock();
        try {
            return fits(bytes) ? take(bytes) : null;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} from the budget, waiting while it is spent. */
    public Reservation reserve(long bytes) throws InterruptedException {
        lock.lock();
        try {
            while (!fits(bytes)) freed.await(1, TimeUnit.SECONDS);
            return take(bytes);
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

    private boolean fits(long bytes) {
        return used == 0 || used + bytes <= capacity;
    }

    private Reservation take(long bytes) {
        used += bytes;
        return new Reservation(bytes);
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
                freed.signalAll();
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
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
