package dev.pictor.quota;

import dev.pictor.core.JobStatus;
import dev.pictor.core.port.JobView;
import dev.pictor.store.Database;
import dev.pictor.store.SqliteJobLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two JVMs on one SQLite file: the limit holds across processes, and a crashed process's job is repaired. */
class CrossProcessTest {
    private static final long NOW = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private static Process start(String... args) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                OtherProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line of the child's protocol ({@code ready}, {@code granted N}, {@code charged}), skipping log lines. */
    private static String next(BufferedReader out) throws java.io.IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready") || line.equals("charged") || line.startsWith("granted ")) return line;
        }
        return null;
    }

    @Test
    void two_processes_hammering_one_bucket_grant_exactly_the_limit_between_them() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        Path go = dir.resolve("go");
        // each asks 800 times for one image of a 1000/1d allowance: 1600 asks, 1000 grants, no more, no fewer
        Process a = start("hammer", url, go.toString(), "800", Long.toString(NOW));
        Process b = start("hammer", url, go.toString(), "800", Long.toString(NOW));
        BufferedReader outA = out(a), outB = out(b);
        assertThat(next(outA)).isEqualTo("ready");
        assertThat(next(outB)).isEqualTo("ready");
        Files.createFile(go);

        String lineA = next(outA), lineB = next(outB);
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lineA).startsWith("granted ");
        assertThat(lineB).startsWith("granted ");
        int grantedA = Integer.parseInt(lineA.substring(8)), grantedB = Integer.parseInt(lineB.substring(8));

        assertThat(grantedA + grantedB).isEqualTo(1000);
        assertThat(grantedA).isPositive();
        assertThat(grantedB).isPositive();
        try (Database db = Database.open(url)) {
            var quota = new BucketQuota(db, OtherProcess.SETTINGS, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                    dev.pictor.store.ChargeJournal.NONE);
            assertThat(quota.view(OtherProcess.HAMMERED).limits().getFirst().remaining()).isZero();
        }
    }

    @Test
    void a_job_left_running_by_a_process_that_died_is_repaired_and_refunded_at_the_next_start() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("crash.db");
        Process crashing = start("crash", url, Long.toString(NOW));
        assertThat(next(out(crashing))).isEqualTo("charged");
        assertThat(crashing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(crashing.exitValue()).isEqualTo(3);

        Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW + 5_000), ZoneOffset.UTC);
        try (Database db = Database.open(url)) {
            var ledger = new SqliteJobLedger(db, QuotaFixtures.catalog(), clock);
            var quota = new BucketQuota(db, OtherProcess.SETTINGS, clock, ledger);
            assertThat(quota.view(OtherProcess.HAMMERED).limits().getFirst().remaining()).isEqualTo(998);

            List<JobView> repaired = ledger.repairInterrupted(quota);

            assertThat(repaired).singleElement().satisfies(v -> {
                assertThat(v.id()).isEqualTo("crashed-job");
                assertThat(v.status()).isEqualTo(JobStatus.FAILED);
                assertThat(v.request().requester().userId()).isEqualTo("hammer");
            });
            assertThat(ledger.tokens("crashed-job")).containsExactly(2, 2);
            assertThat(quota.view(OtherProcess.HAMMERED).limits().getFirst().remaining()).isEqualTo(1000);
        }
    }
}
