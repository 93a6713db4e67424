package dev.pictor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pictor.config.LoadedConfig;
import dev.pictor.core.port.JobStats;
import dev.pictor.store.Database;
import dev.pictor.store.StatsQuery;
import dev.pictor.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pictor stats}: images, cost and failures per day, the top members, and the figures by model and by provider,
 * over the last {@code --days} days (in {@code spend-caps.time-zone}, today included), of one community
 * ({@code --community platform:id}), one bot profile ({@code --bot}) or all; as text, CSV (one row per figure, with
 * its section) or JSON, for spreadsheets and scripts.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Print images, cost and failures per day, top members, by model and by provider.")
final class StatsCommand implements Callable<Integer> {
    enum Format { TEXT, CSV, JSON }

    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--community", paramLabel = "PLATFORM:ID", description = "Only this community, e.g. discord:1234 or telegram:-1001234.")
    String community;

    @Option(names = "--bot", paramLabel = "PROFILE", description = "Only the jobs of this bot profile.")
    String bot;

    @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = "Days counted, today included (1–366; default 7).")
    int days;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "text, csv or json (default text).")
    Format format;

    StatsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("format is text, csv or json, not \"" + value + "\"");
            }
        }
    }

    @Override
    public Integer call() {
        if (days < 1 || days > StatsQuery.MAX_DAYS) return usage("--days is 1 to " + StatsQuery.MAX_DAYS + ", not " + days);
        if (community != null && !community.matches("(discord|telegram|cli):-?[0-9A-Za-z_.-]{1,64}")) {
            return usage("--community is platform:id, e.g. discord:1234 or telegram:-1001234, not \"" + community + "\"");
        }
        LoadedConfig loaded = config.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        var c = loaded.config();
        try (Database db = Database.open(c.storage().url(), c.storage().user(), c.storage().password())) {
            JobStats stats = new StatsQuery(db, Clock.systemUTC(), c.spendCaps().zone(), c.currency())
                    .read(new JobStats.Scope(community, bot), days);
            ctx.out().print(switch (format) {
                case TEXT -> text(stats);
                case CSV -> csv(stats);
                case JSON -> json(stats);
            });
            ctx.out().flush();
            return ExitCodes.OK;
        } catch (StoreException e) {
            ctx.err().println("pictor stats: " + e.getMessage());
            return ExitCodes.STORAGE;
        }
    }

    private int usage(String message) {
        ctx.err().println("pictor stats: " + message);
        ctx.err().flush();
        return ExitCodes.USAGE;
    }

    static String text(JobStats s) {
        var out = new StringBuilder();
        out.append("From ").append(s.from()).append(" to ").append(s.to()).append(" (cost in ").append(s.currency()).append(")\n");
        section(out, "Per day", s.days(), s.currency());
        section(out, "Top members", s.members(), s.currency());
        section(out, "By model", s.models(), s.currency());
        section(out, "By provider", s.providers(), s.currency());
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<JobStats.Row> rows, String currency) {
        out.append(title).append(":\n");
        if (rows.isEmpty()) out.append("  (none)\n");
        for (JobStats.Row r : rows) {
            out.append(String.format(Locale.ROOT, "  %-24s %5d jobs %6d images %4d failed %10s %s%n", r.key(), r.jobs(),
                    r.images(), r.failures(), r.cost().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString(), currency));
        }
    }

    /** One line per figure: section, key, jobs, images, failures, cost, currency. */
    record CsvRow(String section, String key, long jobs, long images, long failures, BigDecimal cost, String currency) {
    }

    static String csv(JobStats s) {
        var rows = new ArrayList<CsvRow>();
        add(rows, "day", s.days(), s.currency());
        add(rows, "member", s.members(), s.currency());
        add(rows, "model", s.models(), s.currency());
        add(rows, "provider", s.providers(), s.currency());
        var mapper = new CsvMapper();
        CsvSchema schema = mapper.schemaFor(CsvRow.class).withHeader()
                .sortedBy("section", "key", "jobs", "images", "failures", "cost", "currency");
        try {
            return mapper.writer(schema).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the figures could not be written as CSV", e);
        }
    }

    private static void add(List<CsvRow> out, String section, List<JobStats.Row> rows, String currency) {
        for (JobStats.Row r : rows) out.add(new CsvRow(section, r.key(), r.jobs(), r.images(), r.failures(), r.cost(), currency));
    }

    static String json(JobStats s) {
        var mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        try {
            return mapper.writeValueAsString(s) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the figures could not be written as JSON", e);
        }
    }
}
