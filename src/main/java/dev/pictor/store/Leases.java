package dev.pictor.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The processes sharing the database, each holding a lease in {@code instances}: its row, renewed every
 * {@link #RENEW_EVERY} to expire {@link #TTL} later. A process that dies stops renewing; once its lease has expired
 * by more than {@link #GRACE}, another process that is itself healthy {@link #claimExpired claims} it with a conditional update (only one of several racing gets the row),
 * repairs the jobs it left open, and {@link #release releases} the row. The claim itself is a lease: a claimer that
 * dies mid-repair lets the row expire again, and a third process takes over. Expiries are written and compared in the
 * database's clock ({@link Dialect#nowMillis}), never a host's, so that hosts whose clocks disagree agree on who is
 * alive.
 *
 * <p>A process whose lease was claimed while it was alive (stalled for longer than {@link #TTL}: a long GC pause, a
 * suspended host) finds out at its next renewal, says so, and takes a new lease; the jobs it had open were closed
 * and refunded by the claimer, and what it records for them afterwards is not taken (their rows are closed).
 */
public final class Leases {
    private static final Logger log = LoggerFactory.getLogger(Leases.class);
    /** How long a lease lasts without renewal: past this, the process is taken for dead. */
    public static final Duration TTL = Duration.ofSeconds(15);
    /** How often a live process renews its lease. */
    public static final Duration RENEW_EVERY = Duration.ofSeconds(5);
    /**
     * How long past its expiry another process's lease is left alone before it is claimed, so that a renewal late by
     * a moment (a short pause, a slow write) does not get a live process's jobs repaired.
     */
    public static final Duration GRACE = Duration.ofSeconds(5);
    /**
     * How long after a renewal began (by this host's monotonic clock) this process takes its lease as held beyond
     * doubt, for {@link #holdsTerm}: no other process may claim it before {@link #TTL} + {@link #GRACE} have passed on
     * the database's clock, so this leaves a margin of {@link #RENEW_EVERY} + {@link #GRACE} for a post under way and
     * for clocks that tick at slightly different rates.
     */
    public static final Duration HELD_FOR = TTL.minus(RENEW_EVERY);

    private final Database db;
    private final Clock clock;
    /** What times the leases: null for the database's clock, else this clock (tests that run time forward). */
    private final Clock leaseClock;
    private final String self;
    /** When this process's lease was last taken or renewed (its clock); Long.MIN_VALUE / 2 before. */
    private volatile long lastRenewed = Long.MIN_VALUE / 2;
    private volatile Runnable afterCandidates = () -> { };
    /** This host's monotonic clock in nanoseconds (the test's clock when leases are timed by it). */
    private final java.util.function.LongSupplier ticks;
    /** When the last renewal that succeeded began, by {@link #ticks}. */
    private volatile long renewedTicks;
    /** The same moment by the wall clock: a monotonic clock stands still while the host is suspended, this one does not. */
    private volatile long renewedWall;
    private volatile boolean everRenewed;
    /** The lease's term: one more each time it is taken (again); see {@link #term}. */
    private final java.util.concurrent.atomic.AtomicLong term = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.locks.ReentrantLock renewing = new java.util.concurrent.locks.ReentrantLock(); // not synchronized: job threads are virtual

    /**
     * This process's lease, named {@code self}, timed by the database's clock, so that hosts whose clocks disagree
     * still agree on which lease has expired ({@code clock} only times this process's own health check).
     */
    public Leases(Database db, Clock clock, String self) {
        this(db, clock, self, false);
    }

    /** With {@code timedByClock}, leases timed by {@code clock} instead of the database's (tests that run time forward). */
    Leases(Database db, Clock clock, String self, boolean timedByClock) {
        this(db, clock, self, timedByClock, timedByClock ? () -> clock.millis() * 1_000_000L : System::nanoTime);
    }

    /** With the host's monotonic clock given apart ({@code ticks}, in nanoseconds): tests of a suspended host. */
    Leases(Database db, Clock clock, String self, boolean timedByClock, java.util.function.LongSupplier ticks) {
        this.db = db;
        this.clock = clock;
        this.leaseClock = timedByClock ? clock : null;
        this.self = self;
        this.ticks = ticks;
    }

    /** The time leases are written and compared in: the database's clock (or the test's). */
    long now(Database d) throws SQLException {
        if (leaseClock != null) return leaseClock.millis();
        try (ResultSet rs = d.prepared("SELECT " + d.dialect().nowMillis()).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** This process's id, as its jobs' {@code owner} names it. */
    public String self() {
        return self;
    }

    /** Takes (or takes again) this process's lease. */
    public void register() {
        long renewedAt = clock.millis();
        long began = ticks.getAsLong();
        db.write(d -> {
            long now = now(d);
            PreparedStatement ps = d.prepared("INSERT INTO instances (id, started_at, renewed_at, expires_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, "
                    + "repaired_by = NULL");
            ps.setString(1, self);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setLong(4, now + TTL.toMillis());
            return ps.executeUpdate();
        });
        lastRenewed = renewedAt;
        term.incrementAndGet(); // a new term: the jobs of the one before are fenced (another process may repair them)
        renewed(began, renewedAt);
    }

    private void renewed(long began, long wall) {
        renewedTicks = began;
        renewedWall = wall;
        everRenewed = true;
    }

    /**
     * Renews this process's lease; false (and a new lease taken) when it had been claimed by another process, which
     * has repaired, or is repairing, the jobs this one had open.
     */
    public boolean renew() {
        long renewedAt = clock.millis();
        long began = ticks.getAsLong();
        int renewed = db.write(d -> {
            long now = now(d);
            PreparedStatement ps = d.prepared("UPDATE instances SET renewed_at = ?, expires_at = ? WHERE id = ? AND repaired_by IS NULL");
            ps.setLong(1, now);
            ps.setLong(2, now + TTL.toMillis());
            ps.setString(3, self);
            return ps.executeUpdate();
        });
        if (renewed == 1) {
            lastRenewed = renewedAt;
            renewed(began, renewedAt);
            return true;
        }
        log.error("this process's lease ({}) expired and was taken by another process, which closed and refunded the jobs "
                + "this one had open; taking a new lease (was the process stalled for over {} s?)", self, TTL.toSeconds());
        register();
        return false;
    }

    /**
     * The term of this process's lease: it starts at 1 when the lease is first taken and grows by one each time the
     * lease is taken again after being found lost (claimed by another process while this one stalled or was cut off
     * from the database). A job opened in a term that has ended may have been repaired by the claimer. In memory.
     */
    public long term() {
        return term.get();
    }

    /**
     * Whether this process holds its lease of term {@code term} beyond doubt now, so that no other process can have
     * repaired the jobs it opened in that term through a claim: the term still stands, and the last successful renewal
     * began less than {@link #HELD_FOR} ago by the monotonic clock (no database call); else it renews now, and holds it
     * if the renewal found the lease still its own. False when it was lost (a new term is taken).
     *
     * @throws StoreException when the database does not answer the renewal: not a no, the caller cannot tell yet
     */
    public boolean holdsTerm(long term) {
        // never taken (a ledger whose process holds no lease): no other process repairs a live owner without a lease
        // but by the stale rule, so there is no claim to fence against
        if (term == 0 && this.term.get() == 0) return true;
        if (term != this.term.get()) return false;
        if (fresh()) return true;
        renewing.lock();
        try {
            if (term != this.term.get()) return false;
            if (fresh()) return true; // another job's thread renewed it meanwhile
            return renew() && term == this.term.get();
        } catch (RuntimeException e) {
            log.warn("could not renew this process's lease, so its jobs post nothing for now: {}", e.toString());
            throw e; // not a no: the caller cannot tell, and may ask again
        } finally {
            renewing.unlock();
        }
    }

    /**
     * Renewed less than {@link #HELD_FOR} ago by both clocks: the monotonic one (a wall clock set back or forth does
     * not count) and the wall clock (the monotonic one does not run while the host is suspended, a lease's time does).
     */
    private boolean fresh() {
        return everRenewed && ticks.getAsLong() - renewedTicks < HELD_FOR.toNanos()
                && clock.millis() - renewedWall < HELD_FOR.toMillis();
    }

    /**
     * Lets go of the lease (a clean stop). A process that leaves no job open deletes its lease: there is nothing to
     * repair, so the next start (or another process) has nothing to claim or to warn about, and what it had taken of
     * the Telegram inbox is free at once, as for any process without a live lease. One that leaves jobs open (its
     * drain ran out) lets its lease expire now instead, so that another process claims it and repairs them at once.
     */
    public void leave() {
        term.incrementAndGet(); // the term ends: a job still running posts nothing once another process may repair it
        db.write(d -> {
            PreparedStatement open = d.prepared("SELECT 1 FROM jobs WHERE owner = ? AND status IN " + SqliteJobLedger.OPEN);
            open.setString(1, self);
            boolean leavesJobs;
            try (ResultSet rs = open.executeQuery()) {
                leavesJobs = rs.next();
            }
            if (!leavesJobs) {
                PreparedStatement ps = d.prepared("DELETE FROM instances WHERE id = ? AND repaired_by IS NULL");
                ps.setString(1, self);
                return ps.executeUpdate();
            }
            PreparedStatement ps = d.prepared("UPDATE instances SET expires_at = ? WHERE id = ? AND repaired_by IS NULL");
            ps.setLong(1, now(d) - 1);
            ps.setString(2, self);
            return ps.executeUpdate();
        });
    }

    /**
     * Claims every lease of another process that expired more than {@link #GRACE} ago (unclaimed, or claimed by a
     * process whose claim expired in turn), and the unexpired, unclaimed lease of a process that is known to be gone
     * ({@code mayBeAlive} false: a process of this host that is no longer running, restarted before its lease ran
     * out). Each claim is one conditional update, a compare-and-swap on what made the lease claimable when it was read
     * ({@code … WHERE id = ? AND expires_at < now - GRACE}, or for the known-gone process
     * {@code … AND repaired_by IS NULL AND expires_at = the expiry read}): only one of several racing processes wins,
     * and a lease its owner renewed in between is not taken.
     *
     * <p>Only a process that is itself healthy claims: its own last renewal succeeded within {@link #RENEW_EVERY}
     * (else it renews first, and claims nothing when that fails or finds its own lease taken). Returns the ids of the
     * processes whose jobs this one must now repair.
     */
    public List<String> claimExpired(Predicate<String> mayBeAlive) {
        if (!healthy()) return List.of();
        record Candidate(String id, long expiresAt, boolean knownGone) {
        }
        long[] times = new long[2];
        List<Candidate> dead = db.read(d -> {
            long now = now(d);
            long expiredBefore = now - GRACE.toMillis();
            times[0] = now;
            times[1] = expiredBefore;
            PreparedStatement ps = d.prepared("SELECT id, expires_at, repaired_by FROM instances WHERE id <> ?");
            ps.setString(1, self);
            var found = new ArrayList<Candidate>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long expiresAt = rs.getLong(2);
                    if (expiresAt < expiredBefore) found.add(new Candidate(rs.getString(1), expiresAt, false));
                    else if (rs.getString(3) == null && !mayBeAlive.test(rs.getString(1)))
                        found.add(new Candidate(rs.getString(1), expiresAt, true));
                }
            }
            return found;
        });
        afterCandidates.run();
        long now = times[0];
        long expiredBefore = times[1];
        var claimed = new ArrayList<String>();
        for (Candidate c : dead) {
            boolean won = db.write(d -> {
                PreparedStatement ps = d.prepared("UPDATE instances SET repaired_by = ?, expires_at = ? WHERE id = ? AND ("
                        + "expires_at < ? OR (? = 1 AND repaired_by IS NULL AND expires_at = ?))");
                ps.setString(1, self);
                ps.setLong(2, now + TTL.toMillis());
                ps.setString(3, c.id());
                ps.setLong(4, expiredBefore);
                ps.setInt(5, c.knownGone() ? 1 : 0);
                ps.setLong(6, c.expiresAt());
                return ps.executeUpdate() == 1;
            });
            if (won) claimed.add(c.id());
        }
        if (!claimed.isEmpty()) log.warn("process(es) {} stopped renewing their lease; repairing the jobs they left open", claimed);
        return claimed;
    }

    /**
     * Whether this process may claim others' leases: its own lease was renewed within {@link #RENEW_EVERY} — or is
     * renewed now, and was still its own. A process cut off from the database, or whose lease another process took
     * while it stalled, repairs nobody.
     */
    private boolean healthy() {
        if (clock.millis() - lastRenewed <= RENEW_EVERY.toMillis()) return true;
        boolean renewed;
        try {
            renewed = renew();
        } catch (RuntimeException e) {
            log.warn("could not renew this process's lease, so it repairs no other process's jobs: {}", e.toString());
            return false;
        }
        if (!renewed) log.warn("this process's lease had been taken; it repairs no other process's jobs this round");
        return renewed;
    }

    /** Test hook: runs between the read of the claimable leases and the claims. */
    void afterCandidates(Runnable hook) {
        this.afterCandidates = hook;
    }

    /** Deletes a dead process's row once its jobs are repaired (only while this process holds the claim). */
    public void release(String dead) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("DELETE FROM instances WHERE id = ? AND repaired_by = ?");
            ps.setString(1, dead);
            ps.setString(2, self);
            return ps.executeUpdate();
        });
    }

    /** Whether {@code owner} holds a lease now (a row, unexpired, unclaimed); empty when it has no row at all. */
    Optional<Boolean> holds(Database d, String owner) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT expires_at, repaired_by FROM instances WHERE id = ?");
        ps.setString(1, owner);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            long expiresAt = rs.getLong(1);
            boolean claimed = rs.getString(2) != null;
            return Optional.of(expiresAt >= now(d) && !claimed);
        }
    }
}
