package dev.pictor.core.port;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The figures admins ask for, over the jobs of some days: per day, per member (most images first), per model and per
 * provider, each a {@link Row} of jobs, images delivered, failed jobs and cost in the configured currency.
 *
 * @param currency the currency of every cost
 * @param from     the first day counted (in the spend caps' time zone)
 * @param to       the last day counted
 * @param days     one row per day from {@code from} to {@code to}, days without jobs included
 */
public record JobStats(String currency, LocalDate from, LocalDate to, List<Row> days, List<Row> members,
                       List<Row> models, List<Row> providers) {
    public JobStats {
        days = List.copyOf(days);
        members = List.copyOf(members);
        models = List.copyOf(models);
        providers = List.copyOf(providers);
    }

    /**
     * One group's figures.
     *
     * @param key      the day ({@code yyyy-mm-dd}), member ({@code platform:id}), model id or provider name
     * @param jobs     jobs asked for (refused ones included)
     * @param images   images delivered
     * @param failures jobs that ended failed
     * @param cost     what they cost, where a price was known
     */
    public record Row(String key, long jobs, long images, long failures, BigDecimal cost) {
    }

    /** Which jobs: of one community ({@code platform:id}) or of all, of one bot profile or of all. */
    public record Scope(String community, String bot) {
        public static final Scope ALL = new Scope(null, null);
    }
}
