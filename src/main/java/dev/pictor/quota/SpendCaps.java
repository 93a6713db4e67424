package dev.pictor.quota;

import dev.pictor.core.Platform;
import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort.AdminResult;
import dev.pictor.core.port.CapWarning;
import dev.pictor.core.port.SpendPort;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.store.AuditLog;
import dev.pictor.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Daily spend caps kept in the database (SQLite or PostgreSQL; tables {@code spend_days}, {@code spend_holds},
 * {@code spend_caps}, see docs/schema.md). A reservation runs in one write transaction: it locks the day's row of the
 * member, then the community, then the bot ({@code FOR UPDATE} on PostgreSQL; SQLite's {@code BEGIN IMMEDIATE} holds
 * the whole database), checks each cap, adds the amount to each and records the hold, or rolls back and holds nothing;
 * so concurrent jobs, in one process or several, never pass a cap together. Every job's spend is counted on its
 * subjects whether a cap applies or not, so that a cap an admin sets at noon counts the morning's spend.
 *
 * <p>The day is the date in {@link SpendSettings#zone()}; a job is counted on the day it was reserved, also when it
 * is settled after midnight. A hold whose job's process died is settled or released by the repair that closes the
 * job (in its transaction: once, however many processes repair at once).
 *
 * <p>When a reservation or a settlement takes a community past 80 % of its cap for the first time that day, the
 * community's row is marked and {@link Warnings#passed} is called once, after the commit; the log says so too.
 */
public final class SpendCaps implements SpendPort {
    private static final Logger log = LoggerFactory.getLogger(SpendCaps.class);

    /** Hears that a community passed 80 % of its daily cap (once per community per day, after the commit). */
    @FunctionalInterface
    public interface Warnings {
        Warnings NONE = warning -> {
        };

        void passed(CapWarning warning);
    }

    private enum Kind { MEMBER, COMMUNITY, BOT }

    private record Layer(Kind kind, String subject, Long cap) {
    }

    private record Warning(String community, String jobId, long spent, long cap) {
    }

    private final Database db;
    private final SpendSettings settings;
    private final Clock clock;
    private final Warnings warnings;
    private final AuditLog audit;

    public SpendCaps(Database db, SpendSettings settings, Clock clock, Warnings warnings) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.warnings = warnings;
        this.audit = new AuditLog(db, clock);
    }

    static String memberSubject(Requester who) {
        return "m:" + who.memberKey();
    }

    static String communitySubject(String communityKey) {
        return "c:" + communityKey;
    }

    static String botSubject(String profile) {
        return "b:" + profile;
    }

    private String today() {
        return clock.instant().atZone(settings.zone()).toLocalDate().toString();
    }

    /** How long until the day of {@link SpendSettings#zone()} ends. */
    private Duration untilReset() {
        ZonedDateTime now = clock.instant().atZone(settings.zone());
        ZonedDateTime next = now.toLocalDate().plusDays(1).atStartOfDay(settings.zone());
        return Duration.between(now, next);
    }

    @Override
    public Optional<Refusal> reserve(String jobId, Requester who, double expected) {
        if (expected < 0 || Double.isNaN(expected) || Double.isInfinite(expected)) {
            throw new IllegalArgumentException("an expected cost is a number ≥ 0, not " + expected);
        }
        long amount = SpendSettings.micros(expected);
        String day = today();
        var warned = new ArrayList<Warning>();
        Optional<Refusal> answer = db.write(d -> {
            warned.clear();
            if (hold(d, jobId) != null) return Optional.empty(); // reserved before: a job holds once
            List<Layer> layers = layers(d, who);
            for (Layer layer : layers) {
                long[] row = lockDay(d, layer.subject(), day);
                long after = row[0] + amount;
                if (layer.cap() != null && after > layer.cap()) {
                    d.rollbackOnly();
                    return Optional.of(refusal(layer, who));
                }
                add(d, layer.subject(), day, amount);
                warn(d, jobId, layer, day, row, after, warned);
            }
            PreparedStatement ps = d.prepared("INSERT INTO spend_holds (job_id, day, subjects, micros, state) VALUES (?, ?, ?, ?, 'held')");
            ps.setString(1, jobId);
            ps.setString(2, day);
            ps.setString(3, String.join("\t", layers.stream().map(Layer::subject).toList()));
            ps.setLong(4, amount);
            ps.executeUpdate();
            return Optional.<Refusal>empty();
        });
        if (answer.isEmpty()) tell(warned);
        return answer;
    }

    @Override
    public void settle(String jobId, double actual) {
        if (actual < 0 || Double.isNaN(actual) || Double.isInfinite(actual)) {
            log.warn("job {}: a cost of {} cannot be settled; its reservation stands", jobId, actual);
            return;
        }
        close(jobId, SpendSettings.micros(actual), "settled");
    }

    @Override
    public void release(String jobId) {
        close(jobId, 0, "released");
    }

    private void close(String jobId, long amount, String state) {
        var warned = new ArrayList<Warning>();
        db.write(d -> {
            warned.clear();
            Hold h = hold(d, jobId);
            if (h == null || !h.state().equals("held")) return null;
            long delta = amount - h.micros();
            for (String subject : h.subjects()) {
                long[] row = lockDay(d, subject, h.day());
                add(d, subject, h.day(), delta);
                if (subject.startsWith("c:") && delta > 0) {
                    Long cap = communityCap(d, subject.substring(2), null);
                    warn(d, jobId, new Layer(Kind.COMMUNITY, subject, cap), h.day(), row, row[0] + delta, warned);
                }
            }
            PreparedStatement ps = d.prepared("UPDATE spend_holds SET state = ?, micros = ? WHERE job_id = ?");
            ps.setString(1, state);
            ps.setLong(2, amount);
            ps.setString(3, jobId);
            ps.executeUpdate();
            return null;
        });
        tell(warned);
    }

    /** What {@code subject} has reserved or spent on {@code day} (today when null), in the currency. */
    public BigDecimal spent(String subject, String day) {
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT micros FROM spend_days WHERE subject = ? AND day = ?");
            ps.setString(1, subject);
            ps.setString(2, day == null ? today() : day);
            try (ResultSet rs = ps.executeQuery()) {
                return SpendSettings.amount(rs.next() ? rs.getLong(1) : 0);
            }
        });
    }

    /** What {@code who} spent today and their own cap, for {@code /quota}; empty when no route has a price. */
    public Optional<dev.pictor.core.port.QuotaView.Spend> today(Requester who) {
        if (!settings.priced()) return Optional.empty();
        return Optional.of(new dev.pictor.core.port.QuotaView.Spend(spentToday(who), settings.of(who.botProfile()).member(),
                settings.currency()));
    }

    /** What a member has reserved or spent today, in the currency. */
    public BigDecimal spentToday(Requester who) {
        return spent(memberSubject(who), null);
    }

    // ---------------------------------------------------------------- admin

    /**
     * Sets one community's daily cap: an amount such as {@code 5} or {@code 0.50}, {@code off} (none for that
     * community) or {@code default} (its bot profile's, else the config's). Audited.
     */
    public AdminResult setCap(String actor, Platform platform, String communityId, String value) {
        String key = platform.id() + ":" + communityId;
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        BigDecimal cap = null;
        if (!v.equals("off") && !v.equals("none") && !v.equals("default")) {
            try {
                cap = new BigDecimal(v);
            } catch (NumberFormatException e) {
                return new AdminResult(false, Text.of(Msg.ADMIN_SPEND_CAP_BAD, "value", value == null ? "" : value.strip()));
            }
            if (cap.signum() < 0 || cap.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
                return new AdminResult(false, Text.of(Msg.ADMIN_SPEND_CAP_BAD, "value", value.strip()));
            }
        }
        BigDecimal set = cap;
        db.write(d -> {
            if (v.equals("default")) {
                PreparedStatement ps = d.prepared("DELETE FROM spend_caps WHERE community = ?");
                ps.setString(1, key);
                ps.executeUpdate();
            } else {
                PreparedStatement ps = d.prepared("INSERT INTO spend_caps (community, micros, updated_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (community) DO UPDATE SET micros = excluded.micros, updated_at = excluded.updated_at");
                ps.setString(1, key);
                if (set == null) ps.setNull(2, java.sql.Types.BIGINT);
                else ps.setLong(2, SpendSettings.micros(set));
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
        audit.record(actor, "set-spend-cap", key, v.equals("default") ? "(bot profile default)" : set == null ? "(none)" : set.toPlainString());
        if (v.equals("default")) return new AdminResult(true, Text.of(Msg.ADMIN_SPEND_CAP_DEFAULT, "platform", platform.id(), "community", key));
        if (set == null) return new AdminResult(true, Text.of(Msg.ADMIN_SPEND_CAP_OFF, "platform", platform.id(), "community", key));
        return new AdminResult(true, Text.of(Msg.ADMIN_SPEND_CAP, "platform", platform.id(), "community", key,
                "cap", set, "currency", settings.currency()));
    }

    // ---------------------------------------------------------------- SQL

    /** The member, community and bot layers of {@code who}, in the order their rows are locked. */
    private List<Layer> layers(Database d, Requester who) throws SQLException {
        SpendSettings.Caps caps = settings.of(who.botProfile());
        var layers = new ArrayList<Layer>();
        layers.add(new Layer(Kind.MEMBER, memberSubject(who), micros(caps.member())));
        if (who.communityKey() != null) {
            layers.add(new Layer(Kind.COMMUNITY, communitySubject(who.communityKey()),
                    communityCap(d, who.communityKey(), caps)));
        }
        if (who.botProfile() != null) layers.add(new Layer(Kind.BOT, botSubject(who.botProfile()), micros(caps.bot())));
        return layers;
    }

    private static Long micros(BigDecimal cap) {
        return cap == null ? null : SpendSettings.micros(cap);
    }

    /** A community's cap: an admin's (which may be off), else {@code caps}' (looked up when null: the config's). */
    private Long communityCap(Database d, String communityKey, SpendSettings.Caps caps) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT micros FROM spend_caps WHERE community = ?");
        ps.setString(1, communityKey);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                long m = rs.getLong(1);
                return rs.wasNull() ? null : m;
            }
        }
        return micros((caps != null ? caps : settings.defaults()).community());
    }

    /** Locks (creating it) the day's row of {@code subject}; returns {micros, warned}. */
    private static long[] lockDay(Database d, String subject, String day) throws SQLException {
        PreparedStatement insert = d.prepared("INSERT INTO spend_days (subject, day) VALUES (?, ?) ON CONFLICT (subject, day) DO NOTHING");
        insert.setString(1, subject);
        insert.setString(2, day);
        insert.executeUpdate();
        PreparedStatement ps = d.prepared("SELECT micros, warned FROM spend_days WHERE subject = ? AND day = ?" + d.dialect().forUpdate());
        ps.setString(1, subject);
        ps.setString(2, day);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the spend row of " + subject + " vanished");
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static void add(Database d, String subject, String day, long delta) throws SQLException {
        PreparedStatement ps = d.prepared("UPDATE spend_days SET micros = " + d.dialect().greatest("0", "micros + ?")
                + " WHERE subject = ? AND day = ?");
        ps.setLong(1, delta);
        ps.setString(2, subject);
        ps.setString(3, day);
        ps.executeUpdate();
    }

    /** Marks a community that passed 80 % of its cap for the first time on {@code day}; the caller tells after commit. */
    private static void warn(Database d, String jobId, Layer layer, String day, long[] row, long after, List<Warning> warned) throws SQLException {
        if (layer.kind() != Kind.COMMUNITY || layer.cap() == null || layer.cap() == 0 || row[1] != 0) return;
        if (after * 5 < layer.cap() * 4) return;
        PreparedStatement ps = d.prepared("UPDATE spend_days SET warned = 1 WHERE subject = ? AND day = ?");
        ps.setString(1, layer.subject());
        ps.setString(2, day);
        ps.executeUpdate();
        warned.add(new Warning(layer.subject().substring(2), jobId, after, layer.cap()));
    }

    private void tell(List<Warning> warned) {
        for (Warning w : warned) {
            BigDecimal spent = SpendSettings.amount(w.spent());
            BigDecimal cap = SpendSettings.amount(w.cap());
            log.warn("community {} has spent {} {} of its daily cap of {} {} (80 % passed)", w.community(),
                    spent.toPlainString(), settings.currency(), cap.toPlainString(), settings.currency());
            try {
                warnings.passed(new CapWarning(w.community(), w.jobId(), spent, cap, settings.currency(), untilReset()));
            } catch (RuntimeException e) {
                log.warn("the spend-cap warning of {} could not be passed on: {}", w.community(), e.toString());
            }
        }
    }

    private record Hold(String day, List<String> subjects, long micros, String state) {
    }

    private static Hold hold(Database d, String jobId) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT day, subjects, micros, state FROM spend_holds WHERE job_id = ?" + d.dialect().forUpdate());
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return null;
            return new Hold(rs.getString(1), List.of(rs.getString(2).split("\t")), rs.getLong(3), rs.getString(4));
        }
    }

    private Refusal refusal(Layer layer, Requester who) {
        BigDecimal cap = SpendSettings.amount(layer.cap());
        Duration wait = untilReset();
        Text text = switch (layer.kind()) {
            case MEMBER -> Text.of(Msg.SPEND_CAP_MEMBER, "cap", cap, "currency", settings.currency(), "wait", wait);
            case COMMUNITY -> Text.of(Msg.SPEND_CAP_COMMUNITY, "platform", who.platform().id(), "cap", cap,
                    "currency", settings.currency(), "wait", wait);
            case BOT -> Text.of(Msg.SPEND_CAP_BOT, "cap", cap, "currency", settings.currency(), "wait", wait);
        };
        return new Refusal(Refusal.Reason.QUOTA_SPENT, text, wait);
    }
}
