package dev.pictor.app;

import dev.pictor.core.Platform;

import dev.pictor.config.ConfigLoader;
import dev.pictor.config.LoadedConfig;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.quota.SqliteState;
import dev.pictor.store.Leases;
import dev.pictor.testing.MutableClock;
import dev.pictor.testing.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ServicesRepairTest {
    @TempDir
    Path dir;

    private LoadedConfig shipped() {
        return ConfigLoader.of(Map.of("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db")))
                .load(Path.of("config/pictor.yaml"), Path.of("bots"));
    }

    @Test
    void givenAJobLeftOpenForOverAnHour_whenTheRunningServiceLooksAgain_thenItIsRepairedAndTheBotsHearOfIt() {
        var clock = MutableClock.at("2026-11-22T10:00:00Z");
        var loaded = shipped();
        try (var services = Services.start(loaded, clock)) {
            List<JobView> heard = new CopyOnWriteArrayList<>();
            services.onRepaired(heard::addAll);
            var request = new ImagineRequest(Requester.of(Platform.TELEGRAM, "42"), "a fox",
                    services.catalog().defaultModel(), "1:1", 1, null, true);
            services.ledger().opened(new JobRecord("stale-1", request, clock.instant()));

            services.repairStale();
            assertThat(heard).as("a fresh job of a live process is left alone").isEmpty();

            clock.advance(Duration.ofHours(2));
            services.repairStale();

            assertThat(heard).singleElement().satisfies(job -> assertThat(job.id()).isEqualTo("stale-1"));
            assertThat(services.ledger().find("stale-1")).get().extracting(JobView::status).isEqualTo(JobStatus.FAILED);
        }
    }

    @Test
    void givenAJobLeftOpen_whenATerminalCommandStarts_thenItLeavesTheJobForRunToRepairAndTell() {
        // long before now, so the terminal (on the real clock) would find it stale if it repaired at all
        var clock = MutableClock.at("2026-01-01T10:00:00Z");
        var loaded = shipped();
        try (var first = Services.start(loaded, clock)) {
            var request = new ImagineRequest(Requester.of(Platform.DISCORD, "7"), "a cat",
                    first.catalog().defaultModel(), "1:1", 1, null, true);
            first.ledger().opened(new JobRecord("open-1", request, clock.instant()));
        }
        clock.advance(Duration.ofHours(2));
        try (var terminal = Services.forTerminal(loaded)) {
            assertThat(terminal.interrupted()).isEmpty();
            assertThat(terminal.ledger().find("open-1")).get().extracting(JobView::status).isEqualTo(JobStatus.QUEUED);
        }
        try (var run = Services.start(loaded, clock)) {
            assertThat(run.interrupted()).extracting(JobView::id).containsExactly("open-1");
        }
    }

    @Test
    void givenAnotherProcessOnTheSharedPostgresDies_whenItsLeaseRunsOut_thenThisOneRepairsItsJobOnceAndTheBotsHearOfIt() {
        var clock = MutableClock.at("2026-11-22T10:00:00Z");
        String url = PostgresFixture.freshUrl();
        var loaded = ConfigLoader.of(Map.of("PICTOR_STORAGE_URL", url)).load(Path.of("config/pictor.yaml"), Path.of("bots"));
        try (var services = Services.start(loaded, clock);
             var otherHost = SqliteState.open(url, null, null, services.catalog(), QuotaWiring.settings(loaded.config(), loaded.bots()), clock)) {
            // the other process (another host, as far as this one can tell: its jobs carry its own lease) runs a job
            List<JobView> heard = new CopyOnWriteArrayList<>();
            services.onRepaired(heard::addAll);
            var other = new dev.pictor.store.SqliteJobLedger(otherHost.database(), services.catalog(), clock, "other-host/1/1", o -> true);
            other.leases().register();
            var request = new ImagineRequest(Requester.of(Platform.TELEGRAM, "42"), "a fox", services.catalog().defaultModel(), "1:1", 1, null, true);
            other.opened(new JobRecord("theirs-1", request, clock.instant()));
            services.repairStale();
            assertThat(heard).as("a job of a process holding its lease is left alone").isEmpty();

            // when it dies: no more renewals, and its lease runs out (and the grace after it); leases are timed by the
            // database's clock, which the test cannot run forward, so the lease row is aged by as much instead
            clock.advance(Leases.TTL.plus(Leases.GRACE).plusSeconds(1));
            otherHost.database().write(d -> {
                var age = d.prepared("UPDATE instances SET renewed_at = renewed_at - ?, expires_at = expires_at - ? WHERE id = ?");
                age.setLong(1, Leases.TTL.plus(Leases.GRACE).plusSeconds(1).toMillis());
                age.setLong(2, Leases.TTL.plus(Leases.GRACE).plusSeconds(1).toMillis());
                age.setString(3, "other-host/1/1");
                return age.executeUpdate();
            });
            services.repairStale();
            services.repairStale();

            // then this process repaired it, once, and its bots heard of it once (to tell the member)
            assertThat(heard).singleElement().satisfies(job -> assertThat(job.id()).isEqualTo("theirs-1"));
            assertThat(services.ledger().find("theirs-1")).get().extracting(JobView::status).isEqualTo(JobStatus.FAILED);
        }
    }
}
