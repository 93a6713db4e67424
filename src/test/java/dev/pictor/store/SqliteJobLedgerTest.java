package dev.pictor.store;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.RepairNotice;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaView;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaFixtures;
import dev.pictor.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteJobLedgerTest {
    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private final ModelCatalog catalog = QuotaFixtures.catalog();
    private final Set<String> deadOwners = new java.util.HashSet<>();
    private Database db;
    private SqliteJobLedger ledger;
    private BucketQuota quota;

    private void open(String owner) {
        db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"));
        ledger = new SqliteJobLedger(db, catalog, clock, owner, o -> !deadOwners.contains(o));
        quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ledger);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    private ImagineRequest request(String user, int count) {
        return new ImagineRequest(member(user, "pool-bot"), "a red fox in snow", catalog.find("imagen-4").orElseThrow(),
                "16:9", count, 42L, true);
    }

    private static long remaining(QuotaView view, String limit) {
        return view.limits().stream().filter(l -> l.name().equals(limit)).findFirst().orElseThrow().remaining();
    }

    @Test
    void a_job_is_recorded_from_opening_to_its_end_with_its_images() {
        open("host/1/1");
        ledger.opened(new JobRecord("j1", request("alice", 2), clock.instant()));
        var grant = (QuotaDecision.Granted) quota.charge("j1", member("alice", "pool-bot"), 2);
        clock.advance(Duration.ofSeconds(1));
        ledger.started("j1", clock.instant());
        assertThat(ledger.find("j1").orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        quota.refund("j1", grant, 1);
        clock.advance(Duration.ofSeconds(5));
        ledger.closed(new JobClosing("j1", JobStatus.PARTIAL, "a", "imagen-4.0-generate-001", 2, 1, 2, 1, 0.03,
                "fewer-images", 42L, "a red fox, enhanced", clock.instant(),
                List.of(new JobClosing.ImageRecord(0, "ab".repeat(32), 1234, "image/png", 1408, 768))));

        JobView view = ledger.find("j1").orElseThrow();
        assertThat(view.request()).isEqualTo(request("alice", 2));
        assertThat(view.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(view.provider()).isEqualTo("a");
        assertThat(view.providerModel()).isEqualTo("imagen-4.0-generate-001");
        assertThat(view.delivered()).isEqualTo(1);
        assertThat(view.seed()).isEqualTo(42L);
        assertThat(view.revisedPrompt()).isEqualTo("a red fox, enhanced");
        assertThat(view.finishedAt()).isEqualTo(clock.instant());
        assertThat(ledger.images("j1")).containsExactly(new JobClosing.ImageRecord(0, "ab".repeat(32), 1234, "image/png", 1408, 768));
        assertThat(ledger.tokens("j1")).containsExactly(2, 1);
        assertThat(db.<String>read(d -> {
            try (ResultSet rs = d.prepared("SELECT spend, error_class, quota_layers FROM jobs WHERE id = 'j1'").executeQuery()) {
                rs.next();
                return rs.getDouble(1) + " " + rs.getString(2) + " " + rs.getString(3);
            }
        })).isEqualTo("0.03 fewer-images member:discord:alice,pool:discord:g1");
    }

    @Test
    void a_second_refund_for_the_same_job_gives_nothing_back() {
        open("host/1/1");
        ledger.opened(new JobRecord("j1", request("bob", 3), clock.instant()));
        var grant = (QuotaDecision.Granted) quota.charge("j1", member("bob", "pool-bot"), 3);

        quota.refund("j1", grant, 3);
        quota.refund("j1", grant, 3);

        assertThat(ledger.tokens("j1")).containsExactly(3, 3);
        assertThat(remaining(quota.view(member("bob", "pool-bot")), "25/1d")).isEqualTo(25);
        // the pool got 3 back once: 10 - 3 + 3
        assertThat(quota.view(member("bob", "pool-bot")).pool().getFirst().remaining()).isEqualTo(10);
        // and the member was not given more than they had: a new charge of 3 and one more fail within the minute
        assertThat(quota.charge(member("bob", "pool-bot"), 3)).isInstanceOf(QuotaDecision.Granted.class);
        assertThat(quota.charge(member("bob", "pool-bot"), 1)).isInstanceOf(QuotaDecision.Denied.class);
    }

    @Test
    void a_job_left_running_by_a_dead_process_is_closed_as_failed_and_refunded_once_at_the_next_start() {
        open("host/100/1");
        ledger.opened(new JobRecord("j1", request("carol", 2), clock.instant()));
        quota.charge("j1", member("carol", "pool-bot"), 2);
        ledger.started("j1", clock.instant());
        ledger.opened(new JobRecord("j2", request("carol", 1), clock.instant())); // queued, never charged
        db.close();
        deadOwners.add("host/100/1");

        clock.advance(Duration.ofSeconds(30));
        open("host/200/2");
        List<JobView> repaired = ledger.repairInterrupted(quota);

        assertThat(repaired).extracting(JobView::id).containsExactlyInAnyOrder("j1", "j2");
        assertThat(repaired).allSatisfy(v -> assertThat(v.status()).isEqualTo(JobStatus.FAILED));
        assertThat(ledger.find("j1").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.tokens("j1")).containsExactly(2, 2);
        assertThat(remaining(quota.view(member("carol", "pool-bot")), "25/1d")).isEqualTo(25);
        assertThat(quota.view(member("carol", "pool-bot")).pool().getFirst().remaining()).isEqualTo(10);
        assertThat(ledger.repairInterrupted(quota)).isEmpty();
    }

    @Test
    void a_second_job_from_the_same_platform_event_is_not_recorded() {
        open("host/1/1");
        assertThat(ledger.opened(new JobRecord("j1", request("carol", 1), clock.instant(), "telegram:bot:41"))).isTrue();
        assertThat(ledger.opened(new JobRecord("j2", request("carol", 1), clock.instant(), "telegram:bot:41"))).isFalse();
        assertThat(ledger.opened(new JobRecord("j3", request("carol", 1), clock.instant(), "telegram:bot:42"))).isTrue();
        assertThat(ledger.opened(new JobRecord("j4", request("carol", 1), clock.instant()))).isTrue();
        assertThat(ledger.opened(new JobRecord("j5", request("carol", 1), clock.instant()))).isTrue(); // no origin: no dedup
        assertThat(ledger.find("j2")).isEmpty();
        // platforms reuse ids after a while: the same origin two days later is a new request
        clock.advance(SqliteJobLedger.ORIGIN_WINDOW.plusMinutes(1));
        assertThat(ledger.opened(new JobRecord("j6", request("carol", 1), clock.instant(), "telegram:bot:41"))).isTrue();
    }

    @Test
    void a_job_killed_while_its_album_waited_for_its_buttons_keeps_what_was_posted_and_refunds_only_the_rest() {
        // given Carol's 3-image job: the provider answered, two of its photos were confirmed, then the process died
        open("host/100/1");
        ledger.opened(new JobRecord("j1", request("carol", 3), clock.instant()));
        quota.charge("j1", member("carol", "pool-bot"), 3);
        ledger.started("j1", clock.instant());
        ledger.answered("j1", "aiml", "imagen-4.0", 0.12, 42L, "a better prompt");
        ledger.posted("j1", List.of(new JobPost("-100", "7", 1), new JobPost("-100", "8", 1)));
        ledger.posted("j1", List.of(new JobPost("-100", "8", 1))); // a repeated receipt counts once
        db.close();
        deadOwners.add("host/100/1");

        // when the next process repairs it
        open("host/200/2");
        List<JobView> repaired = ledger.repairInterrupted(quota);

        // then the two posted images count as delivered, one image is refunded, and the spend is kept
        JobView job = repaired.getFirst();
        assertThat(job.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(job.delivered()).isEqualTo(2);
        assertThat(ledger.tokens("j1")).containsExactly(3, 1);
        assertThat(remaining(quota.view(member("carol", "pool-bot")), "25/1d")).isEqualTo(23);
        JobView stored = ledger.find("j1").orElseThrow();
        assertThat(stored.posts()).containsExactly(new JobPost("-100", "7", 1), new JobPost("-100", "8", 1));
        assertThat(stored.provider()).isEqualTo("aiml");
        assertThat(stored.seed()).isEqualTo(42L);
        assertThat(stored.posted("-100", "8")).isTrue();
        assertThat(stored.posted("-100", "9")).isFalse();
        assertThat(stored.posted("-200", "8")).isFalse();
        // and the member is told the truth: two arrived, one was not charged
        assertThat(RepairNotice.needed(job)).isTrue();
        assertThat(RepairNotice.outcome(job).english()).isEqualTo("2 of your 3 images had already been posted; the other 1 was not charged.");
        assertThat(ledger.repairInterrupted(quota)).isEmpty();
    }

    @Test
    void a_job_killed_after_every_image_was_posted_ends_succeeded_with_nothing_refunded_and_nobody_told() {
        open("host/100/1");
        ledger.opened(new JobRecord("j1", request("carol", 2), clock.instant()));
        quota.charge("j1", member("carol", "pool-bot"), 2);
        ledger.started("j1", clock.instant());
        ledger.posted("j1", List.of(new JobPost("-100", "7", 1), new JobPost("-100", "8", 1)));
        db.close();
        deadOwners.add("host/100/1");

        open("host/200/2");
        JobView job = ledger.repairInterrupted(quota).getFirst();

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ledger.tokens("j1")).containsExactly(2, 0);
        assertThat(remaining(quota.view(member("carol", "pool-bot")), "25/1d")).isEqualTo(23);
        assertThat(RepairNotice.needed(job)).isFalse();
    }

    @Test
    void a_job_of_a_live_process_is_left_alone_unless_it_is_older_than_any_job_runs() {
        open("host/100/1");
        ledger.opened(new JobRecord("j1", request("dan", 1), clock.instant()));
        quota.charge("j1", member("dan", "pool-bot"), 1);
        ledger.started("j1", clock.instant());

        assertThat(ledger.repairInterrupted(quota)).isEmpty();
        clock.advance(SqliteJobLedger.STALE_AFTER.plusMinutes(1));
        assertThat(ledger.repairInterrupted(quota)).extracting(JobView::id).containsExactly("j1");
        // the running process closes it late: its ending is not recorded over the repair
        ledger.closed(new JobClosing("j1", JobStatus.SUCCEEDED, "a", "m", 1, 1, 1, 0, null, null, null, null, clock.instant(), null));
        assertThat(ledger.find("j1").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void a_job_whose_model_was_removed_from_the_config_comes_back_on_the_default_model_within_its_capabilities() {
        open("host/1/1");
        var flash = new ImagineRequest(member("eve"), "a cat", catalog.find("flash").orElseThrow(), "1:1", 1, null, false);
        ledger.opened(new JobRecord("j1", flash, clock.instant()));
        db.close();

        var onlyImagen = new ModelCatalog(List.of(catalog.find("imagen-4").orElseThrow()), "imagen-4");
        db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"));
        var later = new SqliteJobLedger(db, onlyImagen, clock);
        ImagineRequest back = later.find("j1").orElseThrow().request();
        assertThat(back.model().id()).isEqualTo("imagen-4");
        assertThat(back.prompt()).isEqualTo("a cat");
        assertThat(back.aspect()).isEqualTo("1:1");
        assertThat(later.find("nope")).isEmpty();
    }

    @Test
    void migrations_apply_once_and_a_newer_database_is_refused() {
        open("host/1/1");
        db.close();
        open("host/1/1");
        assertThat(db.<String>read(d -> {
            try (ResultSet rs = d.prepared("SELECT group_concat(version) FROM schema_version").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        })).isEqualTo(String.join(",", versions()));
        db.write(d -> {
            d.execute("INSERT INTO schema_version VALUES (99, 'V99__future.sql', 'x', 0)");
            return null;
        });
        db.close();
        db = null;
        assertThatThrownBy(() -> Database.open("jdbc:sqlite:" + dir.resolve("pictor.db")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99, newer than this pictor knows (" + versions().getLast() + ")");
    }

    /** The versions of the listed migrations, in order ({@code V6__x.sql} → 6; numbers may skip one merged elsewhere). */
    private static List<String> versions() {
        return Migrator.MIGRATIONS.stream().map(f -> f.substring(1, f.indexOf("__"))).toList();
    }

    @Test
    void the_database_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
        open("host/1/1");
        assertThat(db.<String>read(d -> {
            var out = new StringBuilder();
            for (String pragma : List.of("journal_mode", "foreign_keys", "busy_timeout")) {
                try (ResultSet rs = d.prepared("PRAGMA " + pragma).executeQuery()) {
                    rs.next();
                    out.append(rs.getString(1)).append(' ');
                }
            }
            return out.toString().strip();
        })).isEqualTo("wal 1 " + Database.BUSY_TIMEOUT_MS);
    }
}
