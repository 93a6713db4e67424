package dev.pictor.telegram;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Marks one update done in the inbox, once. Its lane does so when the handler returns (the answer is sent), unless
 * the handler {@link #defer deferred} it to a job: then the job's delivery does so once the ledger has the job (from
 * there a crash is repaired), or when the job ends, whichever comes first.
 */
final class Taken implements Runnable {
    private final String origin;
    private final Runnable mark;
    private final AtomicBoolean marked = new AtomicBoolean();
    private volatile boolean deferred;

    /** @param origin the update, as the ledger keys the job it asks for ({@code telegram:<profile>:<update id>}) */
    Taken(String origin, Runnable mark) {
        this.origin = origin;
        this.mark = mark;
    }

    /** The update this is, unique per bot: a job is recorded at most once per origin, so a re-run asks for none. */
    String origin() {
        return origin;
    }

    /** The handler passed the update on to a job, which will {@link #run} this. */
    Taken defer() {
        deferred = true;
        return this;
    }

    boolean deferred() {
        return deferred;
    }

    @Override
    public void run() {
        if (marked.compareAndSet(false, true)) mark.run();
    }
}
