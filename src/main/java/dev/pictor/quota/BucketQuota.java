package dev.pictor.quota;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.QuotaText;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;
import dev.pictor.store.AuditLog;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Quotas on Bucket4j buckets kept in SQLite, in layers: the member's plan (plus extra images an admin granted), the
 * community's shared pool when its bot profile or an admin sets one, and the bot profile's daily cap. A charge runs
 * in one {@code BEGIN IMMEDIATE} transaction: it takes from every layer or, if one refuses, rolls back and takes from
 * none. Refunds give back to exactly the layers charged, once per job (recorded through the {@link ChargeJournal}).
 *
 * <p>Which plan a member has: an admin's override, else the role plan the adapter resolved, else the default plan.
 * Each subject (member, pool, bot) has a row in {@code quota_subjects} with the limits last applied to its bucket and
 * a version; when the resolved limits change (another plan, a config edit), the version goes up and Bucket4j replaces
 * the bucket's configuration on its next use, {@link TokensInheritanceStrategy#ADDITIVE}: an upgrade adds the
 * difference (images already used still count), a downgrade keeps what is left up to the new limit.
 *
 * <p>While the database file is lost ({@link Database#lost()}: deleted or replaced under the running process), every
 * charge is denied with {@link QuotaText#cannotRecordJobs()}, so the pipeline closes the request as refused, calls no
 * gateway and charges nothing.
 */
public final class BucketQuota implements QuotaPort, AdminPort {
    private static final Logger log = LoggerFactory.getLogger(BucketQuota.class);
    /** How long a bucket that has refilled completely is kept before its row is deleted (the same as keeping it). */
    public static final Duration KEEP_FULL = Duration.ofHours(1);
    private static final int MAX_GRANT = 1_000_000;

    private enum Kind { MEMBER, POOL, BOT }

    private record Layer(Kind kind, String subject, String planName, List<String> limits, String spec) {
    }

    private record Row(String override, boolean blocked, long extra, String applied, long version) {
    }

    private final Database db;
    private final QuotaSettings settings;
    private final Clock clock;
    private final ChargeJournal journal;
    private final AuditLog audit;
    private final SqliteProxyManager buckets;
    private final Map<String, BucketConfiguration> configurations = new ConcurrentHashMap<>();

    public BucketQuota(Database db, QuotaSettings settings, Clock clock, ChargeJournal journal) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.journal = journal;
        this.audit = new AuditLog(db, clock);
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = new SqliteProxyManager(db, ClientSideConfig.getDefault()
                .withClientClock(meter)
                .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL)));
    }

    // ---------------------------------------------------------------- charging

    @Override
    public QuotaDecision charge(Requester who, int images) {
        return charge(null, who, images);
    }

    @Override
    public QuotaDecision charge(String jobId, Requester who, int images) {
        if (images < 1) throw new IllegalArgumentException("a charge is at least one image");
        // A deleted or replaced database file: whatever is charged or recorded now would be lost, so nothing is.
        if (db.lost() != null) return new QuotaDecision.Denied(QuotaText.cannotRecordJobs());
        return db.write(d -> {
            Resolved r = resolve(d, who);
            Layer member = r.member();
            Row memberRow = r.row(member);
            if (memberRow != null && memberRow.blocked()) return new QuotaDecision.Denied(QuotaText.blocked());
            var charged = new ArrayList<String>();
            for (Layer layer : r.layers()) {
                BucketProxy bucket = bucket(d, layer, r.row(layer));
                VerboseResult<ConsumptionProbe> result = bucket.asVerbose().tryConsumeAndReturnRemaining(images);
                if (result.getValue().isConsumed()) {
                    charged.add(layer.subject());
                    continue;
                }
                if (layer.kind() == Kind.MEMBER && memberRow != null && memberRow.extra() >= images) {
                    addExtra(d, member.subject(), -images);
                    charged.add(extraKey(member.subject()));
                    continue;
                }
                d.rollbackOnly();
                return new QuotaDecision.Denied(refusal(layer, who, images, result));
            }
            journal.charged(jobId, images, charged);
            return new QuotaDecision.Granted(who, images, charged);
        });
    }

    @Override
    public void refund(QuotaDecision.Granted grant, int images) {
        refund(null, grant, images);
    }

    @Override
    public void refund(String jobId, QuotaDecision.Granted grant, int images) {
        if (images <= 0) return;
        int back = Math.min(images, grant.tokens());
        db.write(d -> {
            if (!journal.refunding(jobId, back)) {
                log.warn("job {}: a second refund was asked for and refused", jobId);
                return null;
            }
            Resolved r = resolve(d, grant.who());
            for (String key : grant.layers()) {
                if (key.startsWith("extra:")) {
                    addExtra(d, key.substring("extra:".length()), back);
                    continue;
                }
                Layer layer = r.layers().stream().filter(l -> l.subject().equals(key)).findFirst().orElse(null);
                if (layer == null) {
                    log.info("refund: {} no longer applies to {}; nothing to give back there", key, grant.who().memberKey());
                    continue;
                }
                bucket(d, layer, r.row(layer)).addTokens(back);
            }
            return null;
        });
    }

    private Refusal refusal(Layer layer, Requester who, int asked, VerboseResult<ConsumptionProbe> result) {
        long now = result.getOperationTimeNanos();
        Limits.LimitState worst = null;
        long worstDelay = -1;
        for (Limits.LimitState s : Limits.read(result.getState(), result.getConfiguration(), now)) {
            long delay = s.delayFor(asked, now);
            if (delay > worstDelay) {
                worstDelay = delay;
                worst = s;
            }
        }
        if (worst == null) throw new IllegalStateException("a bucket without limits refused a charge");
        Duration wait = worstDelay == Long.MAX_VALUE ? null : Duration.ofNanos(worstDelay);
        QuotaText.Holder holder = switch (layer.kind()) {
            case MEMBER -> QuotaText.Holder.MEMBER;
            case POOL -> QuotaText.Holder.COMMUNITY;
            case BOT -> QuotaText.Holder.BOT;
        };
        return QuotaText.spent(holder, who.platform(), worst.spec(), worst.remaining(), asked, wait);
    }

    // ---------------------------------------------------------------- viewing

    @Override
    public QuotaView view(Requester who) {
        return db.write(d -> {
            Resolved r = resolve(d, who);
            Layer member = r.member();
            Row row = r.row(member);
            List<QuotaView.Limit> own = limits(d, member, row);
            List<QuotaView.Limit> pool = List.of();
            for (Layer l : r.layers()) if (l.kind() == Kind.POOL) pool = limits(d, l, r.row(l));
            return new QuotaView(member.planName(), row != null && row.blocked(), own, pool, row == null ? 0 : row.extra());
        });
    }

    private List<QuotaView.Limit> limits(Database d, Layer layer, Row row) throws SQLException {
        VerboseResult<Long> r = bucket(d, layer, row).asVerbose().getAvailableTokens();
        return Limits.read(r.getState(), r.getConfiguration(), r.getOperationTimeNanos()).stream()
                .map(Limits.LimitState::view).toList();
    }

    // ---------------------------------------------------------------- layers and buckets

    private static String memberSubject(String memberKey) {
        return "member:" + memberKey;
    }

    private static String extraKey(String memberSubject) {
        return "extra:" + memberSubject;
    }

    /** The layers that apply to {@code who} (member first) with their subject rows, limits resolved. */
    private record Resolved(List<Layer> layers, Map<String, Row> rows) {
        Layer member() {
            return layers.getFirst();
        }

        Row row(Layer layer) {
            return rows.get(layer.subject());
        }
    }

    private Resolved resolve(Database d, Requester who) throws SQLException {
        String member = memberSubject(who.memberKey());
        String pool = who.communityKey() == null ? null : "pool:" + who.communityKey();
        QuotaSettings.ProfileQuota profile = settings.profile(who.botProfile());
        String bot = profile.dailyCap() == null ? null : "bot:" + who.botProfile();

        PreparedStatement ps = d.prepared("SELECT subject, override, blocked, extra, applied_spec, spec_version "
                + "FROM quota_subjects WHERE subject IN (?, ?, ?)");
        ps.setString(1, member);
        ps.setString(2, pool);
        ps.setString(3, bot);
        var rows = new HashMap<String, Row>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Row(rs.getString(2), rs.getInt(3) == 1, rs.getLong(4), rs.getString(5), rs.getLong(6)));
            }
        }

        var layers = new ArrayList<Layer>(3);
        String plan = planOf(who, rows.get(member));
        List<String> planLimits = settings.plans().get(plan);
        layers.add(new Layer(Kind.MEMBER, member, plan, planLimits, "plan " + plan + " " + String.join(",", planLimits)));
        if (pool != null) {
            Row row = rows.get(pool);
            List<String> limits = row != null && row.override() != null
                    ? (row.override().isEmpty() ? List.of() : Arrays.asList(row.override().split(",")))
                    : profile.communityPool();
            if (!limits.isEmpty()) {
                layers.add(new Layer(Kind.POOL, pool, null, limits, "pool " + String.join(",", limits)));
            }
        }
        if (bot != null) {
            String cap = profile.dailyCap() + "/1d";
            layers.add(new Layer(Kind.BOT, bot, null, List.of(cap), "cap " + cap));
        }
        return new Resolved(layers, rows);
    }

    /** The member's plan: override, else role plan, else default; names no longer configured are skipped. */
    private String planOf(Requester who, Row row) {
        if (row != null && row.override() != null) {
            if (settings.plans().containsKey(row.override())) return row.override();
            log.warn("{} has the plan {} which is no longer configured; using their role or default plan", who.memberKey(), row.override());
        }
        if (who.rolePlan() != null && settings.plans().containsKey(who.rolePlan())) return who.rolePlan();
        return settings.defaultPlan();
    }

    /** Builds the bucket of a layer, bumping the subject's version first if its resolved limits changed. */
    private BucketProxy bucket(Database d, Layer layer, Row row) throws SQLException {
        long version = ensureApplied(d, layer.subject(), layer.spec(), row);
        BucketConfiguration configuration = configurations.computeIfAbsent(layer.spec(),
                s -> Limits.configuration(layer.limits().stream().map(LimitSpec::parse).toList()));
        return buckets.builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.ADDITIVE)
                .build(layer.subject(), () -> configuration);
    }

    private long ensureApplied(Database d, String subject, String spec, Row row) throws SQLException {
        if (row != null && spec.equals(row.applied())) return row.version();
        long version = row == null ? 1 : row.version() + 1;
        PreparedStatement ps = d.prepared("INSERT INTO quota_subjects (subject, applied_spec, spec_version, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET applied_spec = excluded.applied_spec, "
                + "spec_version = excluded.spec_version, updated_at = excluded.updated_at");
        ps.setString(1, subject);
        ps.setString(2, spec);
        ps.setLong(3, version);
        ps.setLong(4, clock.millis());
        ps.executeUpdate();
        return version;
    }

    private void addExtra(Database d, String memberSubject, long delta) throws SQLException {
        upsert(d, memberSubject);
        PreparedStatement ps = d.prepared("UPDATE quota_subjects SET extra = extra + ?, updated_at = ? WHERE subject = ?");
        ps.setLong(1, delta);
        ps.setLong(2, clock.millis());
        ps.setString(3, memberSubject);
        ps.executeUpdate();
    }

    private void upsert(Database d, String subject) throws SQLException {
        PreparedStatement ps = d.prepared("INSERT INTO quota_subjects (subject, updated_at) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING");
        ps.setString(1, subject);
        ps.setLong(2, clock.millis());
        ps.executeUpdate();
    }

    /** Deletes the rows of buckets that have been full for {@link #KEEP_FULL}; returns how many. */
    public int purgeIdle() {
        int total = 0, n;
        do {
            n = buckets.removeExpired(1_000);
            total += n;
        } while (n == 1_000);
        return total;
    }

    // ---------------------------------------------------------------- admin

    @Override
    public Set<String> plans() {
        return settings.plans().keySet();
    }

    @Override
    public AdminResult setPlan(String actor, Member member, String plan) {
        if (plan != null && !settings.plans().containsKey(plan)) {
            return new AdminResult(false, "There is no plan \"" + plan + "\". Plans: " + String.join(", ", settings.plans().keySet()) + ".");
        }
        String subject = memberSubject(member.key());
        db.write(d -> {
            upsert(d, subject);
            PreparedStatement ps = d.prepared("UPDATE quota_subjects SET override = ?, updated_at = ? WHERE subject = ?");
            ps.setString(1, plan);
            ps.setLong(2, clock.millis());
            ps.setString(3, subject);
            ps.executeUpdate();
            audit.record(actor, "set-plan", member.key(), plan == null ? "(role or default plan)" : plan);
            return null;
        });
        return new AdminResult(true, plan == null
                ? member.key() + " is back on their role or default plan."
                : member.key() + " now has the plan " + plan + " (" + String.join(", ", settings.plans().get(plan)) + ").");
    }

    @Override
    public AdminResult grant(String actor, Member member, int images) {
        if (images < 1 || images > MAX_GRANT) {
            return new AdminResult(false, "Grant between 1 and " + MAX_GRANT + " images, not " + images + ".");
        }
        long total = db.write(d -> {
            String subject = memberSubject(member.key());
            addExtra(d, subject, images);
            audit.record(actor, "grant", member.key(), "+" + images);
            PreparedStatement ps = d.prepared("SELECT extra FROM quota_subjects WHERE subject = ?");
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : images;
            }
        });
        return new AdminResult(true, member.key() + " got " + images + " extra image" + (images == 1 ? "" : "s")
                + " (" + total + " extra in all), used once their plan runs out.");
    }

    @Override
    public AdminResult reset(String actor, Member member) {
        String subject = memberSubject(member.key());
        db.write(d -> {
            // the bucket as stored (whatever plan it has now): refill every limit; a missing bucket is full already
            if (buckets.exists(subject)) {
                buckets.builder().build(subject, () -> Limits.configuration(settings.limits(settings.defaultPlan()))).reset();
            }
            audit.record(actor, "reset", member.key(), null);
            return null;
        });
        return new AdminResult(true, member.key() + " has their full allowance back.");
    }

    @Override
    public AdminResult block(String actor, Member member, String reason) {
        return setBlocked(actor, member, true, reason);
    }

    @Override
    public AdminResult unblock(String actor, Member member) {
        return setBlocked(actor, member, false, null);
    }

    private AdminResult setBlocked(String actor, Member member, boolean blocked, String reason) {
        String subject = memberSubject(member.key());
        db.write(d -> {
            upsert(d, subject);
            PreparedStatement ps = d.prepared("UPDATE quota_subjects SET blocked = ?, blocked_reason = ?, updated_at = ? WHERE subject = ?");
            ps.setInt(1, blocked ? 1 : 0);
            ps.setString(2, reason);
            ps.setLong(3, clock.millis());
            ps.setString(4, subject);
            ps.executeUpdate();
            audit.record(actor, blocked ? "block" : "unblock", member.key(), reason);
            return null;
        });
        return new AdminResult(true, member.key() + (blocked ? " is blocked: their requests are refused until unblocked."
                : " may ask for images again."));
    }

    @Override
    public AdminResult setPool(String actor, String platform, String communityId, List<String> limits) {
        String key = platform + ":" + communityId;
        String override;
        if (limits == null) {
            override = null;
        } else {
            try {
                override = QuotaSettings.checkLimits("pool", limits, true).stream().map(LimitSpec::toString).collect(Collectors.joining(","));
            } catch (IllegalArgumentException e) {
                return new AdminResult(false, e.getMessage().replaceFirst("^pool", "Pool limit"));
            }
        }
        db.write(d -> {
            String subject = "pool:" + key;
            upsert(d, subject);
            PreparedStatement ps = d.prepared("UPDATE quota_subjects SET override = ?, updated_at = ? WHERE subject = ?");
            ps.setString(1, override);
            ps.setLong(2, clock.millis());
            ps.setString(3, subject);
            ps.executeUpdate();
            audit.record(actor, "set-pool", key, override == null ? "(bot profile default)" : override.isEmpty() ? "(none)" : override);
            return null;
        });
        String word = QuotaText.communityWord(platform);
        return new AdminResult(true, override == null ? "This " + word + " " + key + " is back on its bot's default pool."
                : override.isEmpty() ? "This " + word + " " + key + " has no shared pool now."
                : "This " + word + " " + key + " now shares " + override.replace(",", ", ") + ".");
    }

    @Override
    public List<AuditEntry> audit(String target, int limit) {
        return audit.recent(target, limit);
    }
}
