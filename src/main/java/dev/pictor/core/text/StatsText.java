package dev.pictor.core.text;

import dev.pictor.core.port.JobStats;

import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * {@link JobStats} as an admin reads them in the chat, in their language: a heading with the days and the currency,
 * then one line per day, top member, model and provider (jobs, images, failures, cost rounded half up to cents as
 * in {@code pictor stats}), the catalog's words
 * throughout. When the whole does not fit a platform's limit, the top members, models and providers are cut to fewer
 * lines each (with how many were left off) until it does; the days are never cut.
 */
public final class StatsText {
    private StatsText() {
    }

    /** The figures in {@code locale}, at most {@code maxChars} characters long. */
    public static String render(Locale locale, JobStats stats, int maxChars) {
        int longest = Math.max(stats.members().size(), Math.max(stats.models().size(), stats.providers().size()));
        for (int keep = longest; keep >= 0; keep--) {
            String text = lines(locale, stats, keep);
            if (text.length() <= maxChars) return text;
        }
        String text = lines(locale, stats, 0); // the days alone are too long: cut like any long text
        return text.length() <= maxChars ? text : text.substring(0, Math.max(0, maxChars - 1)) + "…";
    }

    private static String lines(Locale locale, JobStats s, int keep) {
        var out = new StringBuilder();
        out.append(Messages.render(locale, Msg.STATS_HEADER, "from", s.from().toString(), "to", s.to().toString(),
                "currency", s.currency()));
        section(out, locale, Msg.STATS_DAYS, s.days(), Integer.MAX_VALUE);
        section(out, locale, Msg.STATS_MEMBERS, s.members(), keep);
        section(out, locale, Msg.STATS_MODELS, s.models(), keep);
        section(out, locale, Msg.STATS_PROVIDERS, s.providers(), keep);
        return out.toString();
    }

    private static void section(StringBuilder out, Locale locale, Msg title, List<JobStats.Row> rows, int keep) {
        out.append("\n\n").append(Messages.render(locale, title));
        if (rows.isEmpty()) out.append('\n').append(Messages.render(locale, Msg.STATS_NONE));
        for (JobStats.Row r : rows.subList(0, Math.min(keep, rows.size()))) {
            out.append('\n').append(Messages.render(locale, Msg.STATS_ROW, "key", r.key(), "jobs", r.jobs(),
                    "images", r.images(), "failed", r.failures(), "cost", r.cost().setScale(2, RoundingMode.HALF_UP)));
        }
        if (rows.size() > keep) out.append('\n').append(Messages.render(locale, Msg.STATS_CUT, "n", rows.size() - keep));
    }
}
