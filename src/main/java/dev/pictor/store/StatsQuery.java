package dev.pictor.store;

import dev.pictor.core.port.JobStats;
import dev.pictor.core.port.StatsPort;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link JobStats} off the job ledger: the jobs created in the last {@code days} days (midnight to midnight in
 * {@code zone}, today included) of one community or bot profile, or of all, summed in Java per day, member, model and
 * provider.
 */
public final class StatsQuery implements StatsPort {
    /** How many members the figures list, most images first. */
    public static final int TOP_MEMBERS = 10;
    /** The longest period asked for at once. */
    public static final int MAX_DAYS = 366;

    private final Database db;
    private final Clock clock;
    private final ZoneId zone;
    private final String currency;

    public StatsQuery(Database db, Clock clock, ZoneId zone, String currency) {
        this.db = db;
        this.clock = clock;
        this.zone = zone;
        this.currency = currency;
    }

    @Override
    public JobStats read(JobStats.Scope scope, int days) {
        if (days < 1 || days > MAX_DAYS) throw new IllegalArgumentException("days is 1 to " + MAX_DAYS + ", not " + days);
        LocalDate to = clock.instant().atZone(zone).toLocalDate();
        LocalDate from = to.minusDays(days - 1L);
        long since = from.atStartOfDay(zone).toInstant().toEpochMilli();
        String community = null;
        String platform = null;
        if (scope.community() != null) {
            int colon = scope.community().indexOf(':');
            if (colon < 1) throw new IllegalArgumentException("a community is platform:id, not " + scope.community());
            platform = scope.community().substring(0, colon);
            community = scope.community().substring(colon + 1);
        }
        String p = platform;
        String c = community;
        return db.read(d -> {
            PreparedStatement ps = d.prepared("SELECT created_at, platform, user_id, model, provider, status, images_delivered, cost "
                    + "FROM jobs WHERE created_at >= ? AND (CAST(? AS TEXT) IS NULL OR (platform = ? AND community_id = ?)) "
                    + "AND (CAST(? AS TEXT) IS NULL OR bot_profile = ?)");
            ps.setLong(1, since);
            ps.setString(2, c);
            ps.setString(3, p);
            ps.setString(4, c);
            ps.setString(5, scope.bot());
            ps.setString(6, scope.bot());
            var byDay = new LinkedHashMap<String, Sum>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) byDay.put(day.toString(), new Sum());
            var byMember = new HashMap<String, Sum>();
            var byModel = new HashMap<String, Sum>();
            var byProvider = new HashMap<String, Sum>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String day = Instant.ofEpochMilli(rs.getLong(1)).atZone(zone).toLocalDate().toString();
                    String member = rs.getString(2) + ":" + rs.getString(3);
                    String provider = rs.getString(5);
                    boolean failed = "failed".equals(rs.getString(6));
                    long images = rs.getLong(7);
                    double cost = rs.getDouble(8);
                    boolean priced = !rs.wasNull();
                    for (Sum s : List.of(byDay.computeIfAbsent(day, k -> new Sum()), byMember.computeIfAbsent(member, k -> new Sum()),
                            byModel.computeIfAbsent(rs.getString(4), k -> new Sum()))) {
                        s.add(images, failed, priced ? cost : 0);
                    }
                    if (provider != null) byProvider.computeIfAbsent(provider, k -> new Sum()).add(images, failed, priced ? cost : 0);
                }
            }
            return new JobStats(currency, from, to, rows(byDay, false, Integer.MAX_VALUE), rows(byMember, true, TOP_MEMBERS),
                    rows(byModel, true, Integer.MAX_VALUE), rows(byProvider, true, Integer.MAX_VALUE));
        });
    }

    private static final class Sum {
        long jobs;
        long images;
        long failures;
        BigDecimal cost = BigDecimal.ZERO;

        void add(long images, boolean failed, double cost) {
            jobs++;
            this.images += images;
            if (failed) failures++;
            this.cost = this.cost.add(BigDecimal.valueOf(cost));
        }
    }

    private static List<JobStats.Row> rows(Map<String, Sum> sums, boolean mostImagesFirst, int limit) {
        var rows = new ArrayList<JobStats.Row>();
        sums.forEach((k, s) -> rows.add(new JobStats.Row(k, s.jobs, s.images, s.failures, s.cost.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros())));
        if (mostImagesFirst) {
            rows.sort(Comparator.comparingLong(JobStats.Row::images).reversed().thenComparing(JobStats.Row::key));
        }
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }
}
