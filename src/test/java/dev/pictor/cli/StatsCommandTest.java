package dev.pictor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pictor.store.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor stats}: the figures of the job ledger, as text, CSV and JSON that parse, for a community or all. */
class StatsCommandTest {
    @TempDir
    Path dir;
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    private Map<String, String> env() {
        return Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
    }

    private CliRun stats(String... args) {
        var all = new ArrayList<>(List.of("stats"));
        all.addAll(List.of(args));
        return CliRun.of(env(), all.toArray(String[]::new));
    }

    private int seq;

    private void job(Database db, Instant at, String platform, String user, String community, String bot, String model,
                     String provider, String status, int images, Double cost) {
        db.write(d -> {
            PreparedStatement ps = d.prepared("INSERT INTO jobs (id, status, platform, user_id, community_id, bot_profile, prompt, model, "
                    + "aspect, images_asked, enhance, provider, created_at, images_delivered, cost, owner) "
                    + "VALUES (?, ?, ?, ?, ?, ?, 'a fox', ?, '1:1', ?, 0, ?, ?, ?, ?, 'test')");
            ps.setString(1, "job-" + (++seq));
            ps.setString(2, status);
            ps.setString(3, platform);
            ps.setString(4, user);
            ps.setString(5, community);
            ps.setString(6, bot);
            ps.setString(7, model);
            ps.setInt(8, Math.max(1, images));
            ps.setString(9, provider);
            ps.setLong(10, at.toEpochMilli());
            ps.setInt(11, images);
            if (cost == null) ps.setNull(12, java.sql.Types.DOUBLE);
            else ps.setDouble(12, cost);
            return ps.executeUpdate();
        });
    }

    @BeforeEach
    void ledger() {
        Instant now = Instant.now();
        Instant yesterday = now.minus(Duration.ofDays(1));
        try (Database db = Database.open(env().get("PICTOR_STORAGE_URL"))) {
            job(db, now, "discord", "1", "100", "discord", "imagen-4", "aiml", "succeeded", 2, 0.08);
            job(db, now, "discord", "1", "100", "discord", "imagen-4", "aiml", "succeeded", 1, 0.04);
            job(db, yesterday, "discord", "2", "100", "discord", "imagen-3", "turbo", "failed", 0, null);
            job(db, now, "discord", "3", "200", "discord", "imagen-4", "aiml", "succeeded", 4, 0.16);
            job(db, now, "telegram", "7", "-1001", "telegram", "imagen-4", "aiml", "succeeded", 1, 0.04);
            job(db, now.minus(Duration.ofDays(30)), "discord", "1", "100", "discord", "imagen-4", "aiml", "succeeded", 3, 0.12);
        }
    }

    @Test
    void csv_of_one_server_parses_and_counts_only_that_servers_jobs_of_the_days_asked() throws Exception {
        var run = stats("--community", "discord:100", "--days", "7", "--format", "csv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var mapper = new CsvMapper();
        MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(run.out());
        List<Map<String, String>> rows = it.readAll();
        assertThat(rows.getFirst().keySet()).containsExactly("section", "key", "jobs", "images", "failures", "cost", "currency");
        var days = rows.stream().filter(r -> r.get("section").equals("day")).toList();
        assertThat(days).hasSize(7);
        assertThat(days.getLast()).containsEntry("key", today.toString()).containsEntry("jobs", "2").containsEntry("images", "3")
                .containsEntry("cost", "0.12").containsEntry("currency", "USD");
        assertThat(days.get(5)).containsEntry("key", today.minusDays(1).toString()).containsEntry("failures", "1");
        assertThat(rows.stream().filter(r -> r.get("section").equals("member")).map(r -> r.get("key")))
                .containsExactly("discord:1", "discord:2");
        assertThat(rows.stream().filter(r -> r.get("section").equals("provider")).map(r -> r.get("key") + "=" + r.get("images")))
                .containsExactly("aiml=3", "turbo=0");
    }

    @Test
    void json_of_the_whole_bot_parses_with_the_top_members_most_images_first() throws Exception {
        var run = stats("--bot", "discord", "--days", "2", "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("currency").asText()).isEqualTo("USD");
        assertThat(json.path("to").asText()).isEqualTo(today.toString());
        assertThat(json.path("days")).hasSize(2);
        assertThat(json.path("members").findValuesAsText("key")).containsExactly("discord:3", "discord:1", "discord:2");
        assertThat(json.path("models").get(0).path("key").asText()).isEqualTo("imagen-4");
        assertThat(json.path("models").get(0).path("images").asLong()).isEqualTo(7);
        assertThat(json.path("models").get(0).path("cost").decimalValue()).isEqualByComparingTo("0.28");
    }

    @Test
    void text_names_each_section_and_a_bad_option_is_a_usage_error() {
        var run = stats("--days", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Per day:", "Top members:", "By model:", "By provider:", "telegram:7", "0.32 USD");

        assertThat(stats("--days", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(stats("--community", "discord:100' OR 1=1 --").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(stats("--format", "xml").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
