package dev.pictor.core;

import java.util.Locale;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class DrainTest {
    private final MemoryQuota quota = new MemoryQuota(10);
    private final MemoryLedger ledger = new MemoryLedger();
    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void shutdown_lets_quick_jobs_finish_then_stops_and_refunds_the_slow_one_and_refuses_new_ones() throws Exception {
        var slowStarted = new CountDownLatch(1);
        var provider = new ScriptedProvider("a").then(call -> {
            slowStarted.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.pictor.core.port.ProviderException(dev.pictor.core.port.ProviderException.Kind.TRANSIENT, "interrupted");
            }
            return new ProviderResult(List.of(), null, null);
        });
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var service = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(provider, 4).fetcher(url -> null)
                    .retry(RetryPolicy.DEFAULT).ids(() -> "job-" + ids.incrementAndGet()).executor(executor).build();
            var request = new ImagineRequest(ALICE, "a fox", CoreFixtures.catalog().defaultModel(), "1:1", 2, null, true);
            var slowMember = RecordingDelivery.acceptingAll();
            var slow = service.submit(request, slowMember);
            slowStarted.await();
            assertThat(quota.net()).isEqualTo(2);

            int stopped = service.drain(Duration.ofMillis(200));

            assertThat(stopped).isEqualTo(1);
            assertThat(slow.get().status()).isEqualTo(JobStatus.FAILED);
            assertThat(quota.net()).isZero();
            assertThat(ledger.only().status()).isEqualTo(JobStatus.FAILED);
            assertThat(ledger.only().errorClass()).isEqualTo("interrupted");
            assertThat(slowMember.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH)).contains("Nothing was charged"));

            var lateMember = RecordingDelivery.acceptingAll();
            var late = service.submit(request, lateMember).get();
            assertThat(late.status()).isEqualTo(JobStatus.REFUSED);
            assertThat(lateMember.refusals.getFirst().message(Locale.ENGLISH)).contains("restarting");
            assertThat(ledger.closed).hasSize(1);
            assertThat(service.running()).isZero();
        }
    }
    @Test
    void a_job_still_queued_when_the_grace_ends_is_told_pictor_is_restarting_and_is_neither_opened_nor_charged()
            throws Exception {
        // one worker: the slow job holds it, the next job waits in the executor's queue behind it
        var slowStarted = new CountDownLatch(1);
        var provider = new ScriptedProvider("a").then(call -> {
            slowStarted.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.pictor.core.port.ProviderException(dev.pictor.core.port.ProviderException.Kind.TRANSIENT, "interrupted");
            }
            return new ProviderResult(List.of(), null, null);
        });
        var executor = Executors.newSingleThreadExecutor();
        try {
            var service = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(provider, 4).fetcher(url -> null)
                    .retry(RetryPolicy.DEFAULT).ids(() -> "job-" + ids.incrementAndGet()).executor(executor).build();
            var request = new ImagineRequest(ALICE, "a fox", CoreFixtures.catalog().defaultModel(), "1:1", 2, null, true);
            var slow = service.submit(request, RecordingDelivery.acceptingAll());
            slowStarted.await();
            var queuedMember = RecordingDelivery.acceptingAll();
            var queued = service.submit(request, queuedMember);

            int stopped = service.drain(Duration.ofMillis(200));

            assertThat(stopped).isEqualTo(1);
            assertThat(slow.get().status()).isEqualTo(JobStatus.FAILED);
            assertThat(queued.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(JobStatus.REFUSED); // not left hanging
            assertThat(queuedMember.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH)).contains("restarting"));
            assertThat(ledger.closed).hasSize(1); // only the slow job was ever opened
            assertThat(quota.net()).isZero();
        } finally {
            executor.shutdownNow();
        }
    }
}
