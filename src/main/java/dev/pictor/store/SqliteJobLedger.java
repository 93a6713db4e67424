package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The job ledger in SQLite ({@code jobs} and {@code images}), and the {@link ChargeJournal} of a quota sharing its
 * database. At start, {@link #repairInterrupted} closes the jobs a crashed process left open and refunds them.
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
    private static final String OPEN = "('queued', 'running')";

    private final Database db;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final String owner;
    private final Predicate<String> ownerMayBeAlive;

    public SqliteJobLedger(Database db, ModelCatalog catalog, Clock clock) {
        this(db, catalog, clock, ProcessOwner.current(), ProcessOwner::mayBeAlive);
    }

    SqliteJobLedger(Database db, ModelCatalog catalog, Clock clock, String owner, Predicate<String> ownerMayBeAlive) {
        this.db = db;
        this.catalog = catalog;
        this.clock = clock;
        this.owner = owner;
        this.ownerMayBeAlive = ownerMayBeAlive;
    }

    @Override
    public boolean opened(JobRecord job) {
        ImagineRequest r = job.request();
        Requester who = r.requester();
        return db.write(d -> {
            // not when a job of the same origin was recorded within ORIGIN_WINDOW (one writer at a time: no race)
            PreparedStatement ps = d.prepared("INSERT INTO jobs (id, status, platform, user_id, user_name, community_id, "
                    + "bot_profile, role_plan, prompt, model, aspect, images_asked, seed_asked, enhance, created_at, owner, origin) "
                    + "SELECT ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ?17 IS NULL OR NOT EXISTS "
                    + "(SELECT 1 FROM jobs WHERE origin = ?17 AND created_at >= ?18)");
            ps.setString(1, job.id());
            ps.setString(2, who.platform());
            ps.setString(3, who.userId());
            ps.setString(4, who.displayName());
            ps.setString(5, who.communityId());
            ps.setString(6, who.botProfile());
            ps.setString(7, who.rolePlan());
            ps.setString(8, r.prompt());
            ps.setString(9, r.model().id());
            ps.setString(10, r.aspect());
            ps.setInt(11, r.count());
            setLong(ps, 12, r.seed());
            ps.setInt(13, r.enhance() ? 1 : 0);
            ps.setLong(14, job.createdAt().toEpochMilli());
            ps.setString(15, owner);
            ps.setString(16, job.origin());
            ps.setString(17, job.origin());
            ps.setLong(18, job.createdAt().minus(ORIGIN_WINDOW).toEpochMilli());
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
        db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET provider = ?, provider_model = ?, spend = ?, "
                    + "seed = COALESCE(?, seed), revised_prompt = ? WHERE id = ? AND status IN " + OPEN);
            ps.setString(1, provider);
            ps.setString(2, providerModel);
            if (spend == null) ps.setNull(3, Types.REAL);
            else ps.setDouble(3, spend);
            setLong(ps, 4, seed);
            ps.setString(5, revisedPrompt);
            ps.setString(6, jobId);
            return ps.executeUpdate();
        });
    }

    @Override
    public void posted(String jobId, List<JobPost> posts) {
        if (posts.isEmpty()) return;
        long now = clock.millis();
        db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT OR IGNORE INTO job_posts (job_id, chat, message, images, posted_at) "
                    + "VALUES (?, ?, ?, ?, ?)");
            int images = 0;
            for (JobPost p : posts) {
                ps.setString(1, jobId);
                ps.setString(2, p.chat());
                ps.setString(3, p.message());
                ps.setInt(4, p.images());
                ps.setLong(5, now);
                if (ps.executeUpdate() == 1) images += p.images();
            }
            PreparedStatement count = d.prepared("UPDATE jobs SET images_delivered = MIN(images_asked, images_delivered + ?) WHERE id = ?");
            count.setInt(1, images);
            count.setString(2, jobId);
            return count.executeUpdate();
        });
    }

    /** The messages a job posted, in the order they were recorded. */
    private List<JobPost> posts(Database d, String jobId) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT chat, message, images FROM job_posts WHERE job_id = ? ORDER BY rowid");
        ps.setString(1, jobId);
        var out = new ArrayList<JobPost>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new JobPost(rs.getString(1), rs.getString(2), rs.getInt(3)));
        }
        return out;
    }

    @Override
    public void closed(JobClosing c) {
        boolean closedNow = db.write(d -> {
            PreparedStatement ps = d.prepared("UPDATE jobs SET status = ?, provider = COALESCE(?, provider), "
                    + "provider_model = COALESCE(?, provider_model), images_delivered = MAX(images_delivered, ?), "
                    + "tokens_charged = MAX(tokens_charged, ?), tokens_refunded = MAX(tokens_refunded, ?), "
                    + "spend = COALESCE(?, spend), error_class = ?, seed = COALESCE(?, seed, seed_asked), "
                    + "revised_prompt = COALESCE(?, revised_prompt), finished_at = ? WHERE id = ? AND status IN " + OPEN);
            ps.setString(1, name(c.status()));
            ps.setString(2, c.provider());
            ps.setString(3, c.providerModel());
            ps.setInt(4, c.delivered());
            ps.setInt(5, c.charged());
            ps.setInt(6, c.refunded());
            if (c.spend() == null) ps.setNull(7, Types.REAL);
            else ps.setDouble(7, c.spend());
            ps.setString(8, c.errorClass());
            setLong(ps, 9, c.seed());
            ps.setString(10, c.revisedPrompt());
            ps.setLong(11, c.finishedAt().toEpochMilli());
            ps.setString(12, c.id());
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
                found = view(rs);
            }
            return Optional.of(withPosts(found, posts(d, jobId)));
        });
    }

    private static JobView withPosts(JobView v, List<JobPost> posts) {
        return new JobView(v.id(), v.request(), v.status(), v.provider(), v.providerModel(), v.delivered(), v.seed(),
                v.revisedPrompt(), v.createdAt(), v.finishedAt(), posts);
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
     * Closes every job a dead process left queued or running (or any open job older than {@link #STALE_AFTER}),
     * each in one transaction with its refund: the images its recorded posts hold count as delivered (the job ends
     * succeeded or partial), the rest of what it was charged and not yet given back is refunded (failed when
     * nothing was posted). Returns the repaired jobs, with what was delivered, so that adapters can tell their
     * members the truth where the platform still allows it.
     */
    public List<JobView> repairInterrupted(QuotaPort quota) {
        long staleBefore = clock.millis() - STALE_AFTER.toMillis();
        List<String> candidates = db.read(d -> {
            var ids = new ArrayList<String>();
            try (ResultSet rs = d.prepared("SELECT id, owner, created_at FROM jobs WHERE status IN " + OPEN).executeQuery()) {
                while (rs.next()) {
                    if (!ownerMayBeAlive.test(rs.getString(2)) || rs.getLong(3) < staleBefore) ids.add(rs.getString(1));
                }
            }
            return ids;
        });
        var repaired = new ArrayList<JobView>();
        for (String id : candidates) {
            try {
                db.write(d -> repairOne(d, id, quota)).ifPresent(repaired::add);
            } catch (RuntimeException e) {
                log.error("job {}: could not repair it; will try again at the next start", id, e);
            }
        }
        if (!repaired.isEmpty()) log.warn("repaired {} job(s) left open by a stopped process", repaired.size());
        return repaired;
    }

    private Optional<JobView> repairOne(Database d, String id, QuotaPort quota) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT * FROM jobs WHERE id = ? AND status IN " + OPEN);
        ps.setString(1, id);
        JobView before;
        int charged, refunded, delivered, asked;
        List<String> layers;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            before = view(rs);
            charged = rs.getInt("tokens_charged");
            refunded = rs.getInt("tokens_refunded");
            delivered = rs.getInt("images_delivered");
            asked = rs.getInt("images_asked");
            String l = rs.getString("quota_layers");
            layers = l == null || l.isEmpty() ? List.of() : Arrays.asList(l.split(","));
        }
        long now = clock.millis();
        JobStatus status = delivered == 0 ? JobStatus.FAILED : delivered >= asked ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        PreparedStatement close = d.prepared("UPDATE jobs SET status = ?, error_class = 'interrupted', finished_at = ? WHERE id = ?");
        close.setString(1, name(status));
        close.setLong(2, now);
        close.setString(3, id);
        close.executeUpdate();
        int owed = charged - refunded - Math.min(delivered, charged);
        if (owed > 0 && !layers.isEmpty()) {
            quota.refund(id, new QuotaDecision.Granted(before.request().requester(), charged, layers), owed);
            // the quota's journal has counted the refund already when it shares this database; make sure either way
            PreparedStatement done = d.prepared("UPDATE jobs SET tokens_refunded = MAX(tokens_refunded, ?) WHERE id = ?");
            done.setInt(1, refunded + owed);
            done.setString(2, id);
            done.executeUpdate();
        }
        log.info("job {}: closed as {} after an interruption, {} of {} image(s) delivered, {} token(s) refunded",
                id, name(status), delivered, asked, Math.max(0, owed));
        return Optional.of(new JobView(id, before.request(), status, before.provider(), before.providerModel(),
                delivered, before.seed(), before.revisedPrompt(), before.createdAt(), Instant.ofEpochMilli(now),
                posts(d, id)));
    }

    private JobView view(ResultSet rs) throws SQLException {
        var who = new Requester(rs.getString("platform"), rs.getString("user_id"), rs.getString("user_name"),
                rs.getString("community_id"), rs.getString("bot_profile"), rs.getString("role_plan"));
        Long seedAsked = getLong(rs, "seed_asked");
        var request = request(who, rs.getString("prompt"), rs.getString("model"), rs.getString("aspect"),
                rs.getInt("images_asked"), seedAsked, rs.getInt("enhance") == 1);
        Long seed = getLong(rs, "seed");
        Long finished = getLong(rs, "finished_at");
        return new JobView(rs.getString("id"), request, JobStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getString("provider"), rs.getString("provider_model"), rs.getInt("images_delivered"),
                seed != null ? seed : seedAsked, rs.getString("revised_prompt"),
                Instant.ofEpochMilli(rs.getLong("created_at")), finished == null ? null : Instant.ofEpochMilli(finished));
    }

    /**
     * Rebuilds the request against today's catalog. A model since removed from the configuration is replaced by the
     * default model, with the options it cannot take brought within its capabilities (its default aspect, at most its
     * image count, no seed or enhancement it does not support), so that Re-roll still works.
     */
    private ImagineRequest request(Requester who, String prompt, String modelId, String aspect, int count, Long seed,
                                   boolean enhance) {
        Optional<ModelSpec> known = catalog.find(modelId);
        if (known.isPresent()) return new ImagineRequest(who, prompt, known.get(), aspect, count, seed, enhance);
        ModelSpec fallback = catalog.defaultModel();
        ModelCapabilities caps = fallback.capabilities();
        return new ImagineRequest(who, prompt, fallback,
                caps.aspectRatios().contains(aspect) ? aspect : caps.defaultAspect(),
                Math.min(count, caps.maxImages()), caps.seed() ? seed : null, enhance && caps.enhance());
    }

    private static String name(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, v);
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
