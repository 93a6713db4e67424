package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobRepair;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobFence;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.SpendPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The job ledger in the database, SQLite or PostgreSQL ({@code jobs} and {@code images}; the name is from when there
 * was only SQLite), and the {@link ChargeJournal} of a quota sharing its database. At start, and every few seconds
 * while running, {@link #repairInterrupted} closes the jobs a crashed process left open and refunds them; which
 * processes are alive, its {@link Leases} tell.
 */
public final class SqliteJobLedger implements JobLedger, ChargeJournal {
    private static final Logger log = LoggerFactory.getLogger(SqliteJobLedger.class);
    /** No job runs this long: an open job older than this is repaired even if its owner cannot be checked. */
    public static final Duration STALE_AFTER = Duration.ofHours(1);
    /**
     * How long a platform event's job stands for it: a second job of the same origin within this is not recorded.
     * Telegram keeps an unconfirmed update for 24 hours and may reuse update ids after a week of silence.
     */
    public static final Duration ORIGIN_WINDOW = Duration.ofHours(48);
    static final String OPEN = "('queued', 'running')";

    private final Database db;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final String owner;
    private final InterruptedJobs interrupted;
    private final Leases leases;

    public SqliteJobLedger(Database db, ModelCatalog catalog, Clock clock) {
        this(db, catalog, clock, ProcessOwner.current(), ProcessOwner::mayBeAlive, false);
    }

    /**
     * A ledger whose jobs carry {@code owner} (this process's id, and the name of its lease), telling by
     * {@code ownerMayBeAlive} whether an owner without a lease may still run (for tests that play several processes);
     * its leases are timed by the database's clock, as a running pictor's.
     */
    public SqliteJobLedger(Database db, ModelCatalog catalog, Clock clock, String owner, Predicate<String> ownerMayBeAlive) {
        this(db, catalog, clock, owner, ownerMayBeAlive, false);
    }

    /**
     * As above, its leases timed by the database's clock ({@code leasesByClock} false: as a running pictor times
     * them) or by {@code clock} (true: for tests that run time forward).
     */
    SqliteJobLedger(Database db, ModelCatalog catalog, Clock clock, String owner, Predicate<String> ownerMayBeAlive,
                    boolean leasesByClock) {
        this.db = db;
        this.catalog = catalog;
        this.clock = clock;
        this.owner = owner;
        this.leases = new Leases(db, clock, owner, leasesByClock);
        this.interrupted = new InterruptedJobs(db, catalog, clock, ownerMayBeAlive, leases);
    }

    /** This process's lease on the database, in the name its jobs' owner column carries (see {@link Leases}). */
    public Leases leases() {
        return leases;
    }

    @Override
    public boolean opened(JobRecord job) {
        ImagineRequest r = job.request();
        Requester who = r.requester();
        return db.write(d -> {
            // not when a job of the same origin was recorded within ORIGIN_WINDOW. SQLite: one writer at a time, no
            // race. PostgreSQL: under READ COMMITTED two transactions would both see no such job and both insert, so
            // the origin is locked first (a transaction-scoped advisory lock on its hash, released at commit): a
            // second process recording the same event waits, and its NOT EXISTS, a new statement, then sees the first
            // job. A lock rather than a unique index, for the key would have to hold the sliding 48 h window.
            if (job.origin() != null && d.dialect() == Dialect.POSTGRESQL) {
                PreparedStatement lock = d.prepared("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
                lock.setString(1, "jobs.origin:" + job.origin());
                lock.execute();
            }
            PreparedStatement ps = d.prepared("INSERT INTO jobs (id, status, platform, user_id, user_name, community_id, "
                    + "bot_profile, role_plan, prompt, model, aspect, images_asked, seed_asked, enhance, created_at, owner, origin) "
                    + "SELECT ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE CAST(? AS TEXT) IS NULL OR NOT EXISTS "
                    + "(SELECT 1 FROM jobs WHERE origin = ? AND created_at >= ?)");
            ps.setString(1, job.id());
            ps.setString(2, who.platform().id());
            ps.setString(3, who.userId());
            ps.setString(4, who.displayName());
            ps.setString(5, who.communityId());
            ps.setString(6, who.botProfile());
            ps.setString(7, who.rolePlan());
            ps.setString(8, r.prompt());
            ps.setString(9, r.model().id());
            ps.setString(10, r.aspect());
            ps.setInt(11, r.count());
            JobRows.setLong(ps, 12, r.seed());
            ps.setInt(13, r.enhance() ? 1 : 0);
            ps.setLong(14, job.createdAt().toEpochMilli());
            ps.setString(15, owner);
            ps.setString(16, job.origin());
            ps.setString(17, job.origin());
            ps.setString(18, job.origin());
            ps.setLong(19, job.createdAt().minus(ORIGIN_WINDOW).toEpochMilli());
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public void started(String jobId, Instant at) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'");
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, jobId);
            return ps.executeUpdate();
        });
    }

    @Override
    public void answered(String jobId, String provider, String providerModel, Double spend, Long seed, String revisedPrompt) {
        answered(jobId, provider, providerModel, spend, null, seed, revisedPrompt);
    }

    @Override
    public void answered(String jobId, String provider, String providerModel, Double spend, Double cost, Long seed,
                         String revisedPrompt) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET provider = ?, provider_model = ?, spend = ?, "
                    + "seed = COALESCE(?, seed), revised_prompt = ?, cost = COALESCE(?, cost) WHERE id = ? AND status IN " + OPEN);
            ps.setString(1, provider);
            ps.setString(2, providerModel);
            if (spend == null) ps.setNull(3, Types.REAL);
            else ps.setDouble(3, spend);
            JobRows.setLong(ps, 4, seed);
            ps.setString(5, revisedPrompt);
            if (cost == null) ps.setNull(6, Types.DOUBLE);
            else ps.setDouble(6, cost);
            ps.setString(7, jobId);
            return ps.executeUpdate();
        });
    }

    /**
     * This process's lease (in memory, renewed now only when it is not fresh) and, for a job, one read by primary key:
     * open, and owned by this process.
     */
    private final JobFence fence = new JobFence() {
        @Override
        public long term() {
            return leases.term();
        }

        @Override
        public boolean holds(long term) {
            return leases.holdsTerm(term);
        }

        @Override
        public boolean ownsOpen(String jobId) {
            return db.read(d -> {
                PreparedStatement ps = d.prepared("SELECT 1 FROM jobs WHERE id = ? AND owner = ? AND status IN " + OPEN);
                ps.setString(1, jobId);
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            });
        }
    };

    @Override
    public JobFence fence() {
        return fence;
    }

    @Override
    public void posted(String jobId, List<JobPost> posts) {
        if (posts.isEmpty()) return;
        long now = clock.millis();
        db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT INTO job_posts (job_id, chat, message, images, posted_at) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            int images = 0;
            for (JobPost p : posts) {
                ps.setString(1, jobId);
                ps.setString(2, p.chat());
                ps.setString(3, p.message());
                ps.setInt(4, p.images());
                ps.setLong(5, now);
                if (ps.executeUpdate() == 1) images += p.images();
            }
            PreparedStatement count = d.prepared("UPDATE jobs SET images_delivered = "
                    + d.dialect().least("images_asked", "images_delivered + ?") + " WHERE id = ?");
            count.setInt(1, images);
            count.setString(2, jobId);
            return count.executeUpdate();
        });
    }

    @Override
    public void closed(JobClosing c) {
        boolean closedNow = db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET status = ?, provider = COALESCE(?, provider), "
                    + "provider_model = COALESCE(?, provider_model), images_delivered = " + d.dialect().greatest("images_delivered", "?") + ", "
                    + "tokens_charged = " + d.dialect().greatest("tokens_charged", "?") + ", tokens_refunded = "
                    + d.dialect().greatest("tokens_refunded", "?") + ", "
                    + "spend = COALESCE(?, spend), error_class = ?, seed = COALESCE(?, seed, seed_asked), "
                    + "revised_prompt = COALESCE(?, revised_prompt), finished_at = ?, cost = COALESCE(?, cost) "
                    + "WHERE id = ? AND status IN " + OPEN);
            ps.setString(1, JobRows.name(c.status()));
            ps.setString(2, c.provider());
            ps.setString(3, c.providerModel());
            ps.setInt(4, c.delivered());
            ps.setInt(5, c.charged());
            ps.setInt(6, c.refunded());
            if (c.spend() == null) ps.setNull(7, Types.REAL);
            else ps.setDouble(7, c.spend());
            ps.setString(8, c.errorClass());
            JobRows.setLong(ps, 9, c.seed());
            ps.setString(10, c.revisedPrompt());
            ps.setLong(11, c.finishedAt().toEpochMilli());
            if (c.cost() == null) ps.setNull(12, Types.DOUBLE);
            else ps.setDouble(12, c.cost());
            ps.setString(13, c.id());
            if (ps.executeUpdate() == 0) return false;
            PreparedStatement img = d.prepared("INSERT INTO images (job_id, idx, sha256, bytes, mime, width, height) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (JobClosing.ImageRecord i : c.images()) {
                img.setString(1, c.id());
                img.setInt(2, i.index());
                img.setString(3, i.sha256());
                img.setInt(4, i.bytes());
                img.setString(5, i.mimeType());
                img.setInt(6, i.width());
                img.setInt(7, i.height());
                img.executeUpdate();
            }
            return true;
        });
        if (!closedNow) log.warn("job {} was already closed (or never opened); its end as {} is not recorded", c.id(), c.status());
    }

    @Override
    public Optional<JobView> find(String jobId) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT * FROM jobs WHERE id = ?");
            ps.setString(1, jobId);
            JobView found;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.<JobView>empty();
                found = JobRows.view(rs, catalog);
            }
            return Optional.of(JobRows.withPosts(found, JobRows.posts(d, jobId)));
        });
    }

    /** The images recorded for a job, in order. */
    public List<JobClosing.ImageRecord> images(String jobId) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT idx, sha256, bytes, mime, width, height FROM images WHERE job_id = ? ORDER BY idx");
            ps.setString(1, jobId);
            var out = new ArrayList<JobClosing.ImageRecord>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobClosing.ImageRecord(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5), rs.getInt(6)));
                }
            }
            return out;
        });
    }

    /** Tokens a job was charged and given back so far, as recorded: {@code [charged, refunded]}. */
    public int[] tokens(String jobId) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT tokens_charged, tokens_refunded FROM jobs WHERE id = ?");
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new int[]{rs.getInt(1), rs.getInt(2)} : new int[]{0, 0};
            }
        });
    }

    @Override
    public void charged(String jobId, int tokens, List<String> layers) {
        if (jobId == null) return;
        db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET tokens_charged = ?, quota_layers = ? WHERE id = ?");
            ps.setInt(1, tokens);
            ps.setString(2, String.join(",", layers));
            ps.setString(3, jobId);
            return ps.executeUpdate();
        });
    }

    @Override
    public boolean refunding(String jobId, int tokens) {
        if (jobId == null) return true;
        return db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET tokens_refunded = tokens_refunded + ? "
                    + "WHERE id = ? AND tokens_refunded + ? <= tokens_charged");
            ps.setInt(1, tokens);
            ps.setString(2, jobId);
            ps.setInt(3, tokens);
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * Closes every job a dead process left queued or running (one whose lease expired and that this process claimed,
     * one without a lease that is gone, or any open job older than {@link #STALE_AFTER}), each in one transaction
     * with its refund, ending as {@link JobRepair} decides; see {@link InterruptedJobs}. Several processes may call it
     * at once: each job is repaired by one of them, once.
     * Returns the repaired jobs, with what was delivered, so that adapters can tell their members the truth.
     */
    public List<JobView> repairInterrupted(QuotaPort quota) {
        return repairInterrupted(quota, SpendPort.NONE);
    }

    /**
     * As {@link #repairInterrupted(QuotaPort)}, and in each job's repair transaction its spend hold on {@code spend}
     * is settled with the recorded cost (when a provider answered) or released (see {@link JobRepair#end}), so that a
     * dead process's reservation does not stay counted on its day; once, however many repair at once.
     */
    public List<JobView> repairInterrupted(QuotaPort quota, SpendPort spend) {
        return interrupted.repair(quota, spend);
    }
}
