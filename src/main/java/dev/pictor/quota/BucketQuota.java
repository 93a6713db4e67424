package dev.pictor.quota;

import dev.pictor.core.Platform;
import dev.pictor.core.QuotaSpent;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.QuotaView;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.store.AuditLog;
import dev.pictor.store.CommunityLanguageTable;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Quotas on Bucket4j buckets kept in the database (SQLite or PostgreSQL), in layers: the member's plan (plus extra
 * images an admin granted), the community's shared pool when its bot profile or an admin sets one, and the bot
 * profile's daily cap. A charge runs in one write transaction ({@code BEGIN IMMEDIATE} on SQLite; on PostgreSQL one
 * transaction locking each layer's bucket row, in the order member, pool, bot; see {@link SqliteProxyManager}): it
 * takes from every layer or, if one refuses, rolls back and takes from none, whatever other processes charge at once. Refunds give back to exactly the layers charged, once per job (recorded through the {@link ChargeJournal}).
 *
 * <p>Which plan a member has: an admin's override, else the role plan the adapter resolved, else the default plan.
 * Each subject (member, pool, bot) has a row in {@code quota_subjects} with the limits last applied to its bucket and
 * a version; when the resolved limits change (another plan, a config edit), the version goes up and Bucket4j replaces
 * the bucket's configuration on its next use, {@link TokensInheritanceStrategy#ADDITIVE}: an upgrade adds the
 * difference (images already used still count), a downgrade keeps what is left up to the new limit.
 *
 * <p>While the database file is lost ({@link Database#lost()}: deleted or replaced under the running process), every
 * charge is denied with {@link Refusal#cannotRecordJobs()}, so the pipeline closes the request as refused, calls no
 * provider and charges nothing.
 *
 * <p>The pieces: {@link QuotaLayers} decides which layers apply (pure), {@link QuotaSubjects} holds the SQL of
 * {@code quota_subjects}, {@link LayerBuckets} the buckets, {@link QuotaAdmin} the admin operations; this class
 * charges, refunds and shows.
 */
public final class BucketQuota implements QuotaPort, AdminPort {
    private static final Logger log = LoggerFactory.getLogger(BucketQuota.class);
    /** How long a bucket that has refilled completely is kept before its row is deleted (the same as keeping it). */
    public static final Duration KEEP_FULL = Duration.ofHours(1);

    private final Database db;
    private final ChargeJournal journal;
    private final QuotaLayers policy;
    private final QuotaSubjects subjects;
    private final LayerBuckets buckets;
    private final QuotaAdmin admin;
    private final CommunityLanguageTable languages;

    private final SpendCaps spend;
    /** One charge at a time per process through a bot's cap or a community's pool row. */
    private final SharedRowGate gate;

    /** Quotas whose admins set spend caps on no default caps, in USD (a terminal's or a test's). */
    public BucketQuota(Database db, QuotaSettings settings, Clock clock, ChargeJournal journal) {
        this(db, settings, clock, journal, new SpendCaps(db, new SpendSettings("USD", null, null, null), clock, SpendCaps.Warnings.NONE));
    }

    /** @param spend the daily spend caps an admin's {@link #setSpendCap} changes */
    public BucketQuota(Database db, QuotaSettings settings, Clock clock, ChargeJournal journal, SpendCaps spend) {
        this.spend = spend;
        this.db = db;
        this.gate = new SharedRowGate(db, 64);
        this.journal = journal;
        this.policy = new QuotaLayers(settings);
        this.subjects = new QuotaSubjects(clock);
        this.buckets = new LayerBuckets(db, clock, subjects);
        this.languages = new CommunityLanguageTable(db, clock);
        this.admin = new QuotaAdmin(db, settings, subjects, buckets, new AuditLog(db, clock), languages);
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
        if (db.lost() != null) return new QuotaDecision.Denied(Refusal.cannotRecordJobs());
        return gate.around(policy.sharedSubject(who), () -> db.write(d -> {
            Resolved r = resolve(d, who);
            QuotaLayers.Layer member = r.member();
            QuotaLayers.Row memberRow = r.row(member);
            if (memberRow != null && memberRow.blocked()) return new QuotaDecision.Denied(Refusal.blocked());
            var charged = new ArrayList<String>();
            for (QuotaLayers.Layer layer : r.layers()) {
                BucketProxy bucket = buckets.of(d, layer, r.row(layer));
                VerboseResult<ConsumptionProbe> result = bucket.asVerbose().tryConsumeAndReturnRemaining(images);
                if (result.getValue().isConsumed()) {
                    charged.add(layer.subject());
                    continue;
                }
                if (layer.kind() == QuotaLayers.Kind.MEMBER && memberRow != null && memberRow.extra() >= images
                        && subjects.takeExtra(d, member.subject(), images)) {
                    charged.add(QuotaLayers.extraKey(member.subject()));
                    continue;
                }
                d.rollbackOnly();
                return new QuotaDecision.Denied(refusal(layer, who, images, result));
            }
            journal.charged(jobId, images, charged);
            return new QuotaDecision.Granted(who, images, charged);
        }));
    }

    @Override
    public void refund(QuotaDecision.Granted grant, int images) {
        refund(null, grant, images);
    }

    @Override
    public void refund(String jobId, QuotaDecision.Granted grant, int images) {
        if (images <= 0) return;
        int back = Math.min(images, grant.tokens());
        gate.around(policy.sharedSubject(grant.who()), () -> db.write(d -> {
            if (!journal.refunding(jobId, back)) {
                log.warn("job {}: a second refund was asked for and refused", jobId);
                return null;
            }
            Resolved r = resolve(d, grant.who());
            for (String key : grant.layers()) {
                if (key.startsWith("extra:")) {
                    subjects.addExtra(d, key.substring("extra:".length()), back);
                    continue;
                }
                QuotaLayers.Layer layer = r.layers().stream().filter(l -> l.subject().equals(key)).findFirst().orElse(null);
                if (layer == null) {
                    log.info("refund: {} no longer applies to {}; nothing to give back there", key, grant.who().memberKey());
                    continue;
                }
                buckets.of(d, layer, r.row(layer)).addTokens(back);
            }
            return null;
        }));
    }

    private Refusal refusal(QuotaLayers.Layer layer, Requester who, int asked, VerboseResult<ConsumptionProbe> result) {
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
        QuotaSpent.Holder holder = switch (layer.kind()) {
            case MEMBER -> QuotaSpent.Holder.MEMBER;
            case POOL -> QuotaSpent.Holder.COMMUNITY;
            case BOT -> QuotaSpent.Holder.BOT;
        };
        return new QuotaSpent(holder, who.platform(), worst.spec(), worst.remaining(), asked, wait).refusal();
    }

    // ---------------------------------------------------------------- viewing

    @Override
    public QuotaView view(Requester who) {
        return db.write(d -> {
            Resolved r = resolve(d, who);
            QuotaLayers.Layer member = r.member();
            QuotaLayers.Row row = r.row(member);
            List<QuotaView.Limit> own = limits(d, member, row);
            List<QuotaView.Limit> pool = List.of();
            for (QuotaLayers.Layer l : r.layers()) if (l.kind() == QuotaLayers.Kind.POOL) pool = limits(d, l, r.row(l));
            return new QuotaView(member.planName(), row != null && row.blocked(), own, pool, row == null ? 0 : row.extra());
        }).withSpend(spend.today(who).orElse(null));
    }

    private List<QuotaView.Limit> limits(Database d, QuotaLayers.Layer layer, QuotaLayers.Row row) throws SQLException {
        VerboseResult<Long> r = buckets.of(d, layer, row).asVerbose().getAvailableTokens();
        return Limits.read(r.getState(), r.getConfiguration(), r.getOperationTimeNanos()).stream()
                .map(Limits.LimitState::view).toList();
    }

    /** The layers that apply to {@code who} (member first) with their subject rows. */
    private record Resolved(List<QuotaLayers.Layer> layers, Map<String, QuotaLayers.Row> rows) {
        QuotaLayers.Layer member() {
            return layers.getFirst();
        }

        QuotaLayers.Row row(QuotaLayers.Layer layer) {
            return rows.get(layer.subject());
        }
    }

    private Resolved resolve(Database d, Requester who) throws SQLException {
        Map<String, QuotaLayers.Row> rows = subjects.read(d, policy.subjects(who));
        return new Resolved(policy.layers(who, rows), rows);
    }

    /** Deletes the rows of buckets that have been full for {@link #KEEP_FULL}; returns how many. */
    public int purgeIdle() {
        return buckets.purgeIdle();
    }

    // ---------------------------------------------------------------- admin (see QuotaAdmin)

    @Override
    public Set<String> plans() {
        return admin.plans();
    }

    @Override
    public AdminResult setPlan(String actor, Member member, String plan) {
        return admin.setPlan(actor, member, plan);
    }

    @Override
    public AdminResult grant(String actor, Member member, int images) {
        return admin.grant(actor, member, images);
    }

    @Override
    public AdminResult reset(String actor, Member member) {
        return admin.reset(actor, member);
    }

    @Override
    public AdminResult block(String actor, Member member, String reason) {
        return admin.block(actor, member, reason);
    }

    @Override
    public AdminResult unblock(String actor, Member member) {
        return admin.unblock(actor, member);
    }

    @Override
    public AdminResult setPool(String actor, Platform platform, String communityId, List<String> limits) {
        return admin.setPool(actor, platform, communityId, limits);
    }

    @Override
    public AdminResult setLanguage(String actor, Platform platform, String communityId, String language) {
        return admin.setLanguage(actor, platform, communityId, language);
    }

    /** The languages communities' admins chose ({@link #setLanguage}), as the bots read them. */
    public CommunityLanguages languages() {
        return languages;
    }

    @Override
    public AdminResult setSpendCap(String actor, Platform platform, String communityId, String cap) {
        return spend.setCap(actor, platform, communityId, cap);
    }

    @Override
    public List<AuditEntry> audit(String target, int limit) {
        return admin.audit(target, limit);
    }
}
