package dev.pictor.quota;

import dev.pictor.core.Platform;
import java.util.Locale;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.Refusal;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.AdminPort.Member;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.ImageProvider;
import dev.pictor.store.Database;
import dev.pictor.store.SqliteJobLedger;
import dev.pictor.testing.MutableClock;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/** The real quota and ledger under the core's pipeline, with a provider that counts its calls. */
class QuotaPipelineTest {
    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-03-10T20:48:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private Database db;
    private SqliteJobLedger ledger;
    private BucketQuota quota;
    private CountingProvider provider;

    /** Answers with {@code images} PNGs (0: as many as asked), or fails with a 503 when {@code images} is negative. */
    static final class CountingProvider implements ImageProvider {
        final AtomicInteger calls = new AtomicInteger();
        volatile int images = 0;

        @Override
        public String name() {
            return "a";
        }

        @Override
        public ProviderResult generate(ProviderCall call) throws ProviderException {
            calls.incrementAndGet();
            if (images < 0) throw new ProviderException(ProviderException.Kind.TRANSIENT, 503, "HTTP 503", null, null);
            return new ProviderResult(java.util.stream.IntStream.range(0, images == 0 ? call.count() : images)
                    .mapToObj(i -> ProviderImage.ofBytes(TestImages.png(8, 8), "image/png", null)).toList(), 7L, null);
        }
    }

    @BeforeEach
    void open() {
        db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"));
        ledger = new SqliteJobLedger(db, QuotaFixtures.catalog(), clock);
        quota = new BucketQuota(db, QuotaFixtures.settings(), clock, ledger);
        provider = new CountingProvider();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private JobOutcome run(String user, int count, RecordingDelivery delivery) {
        var service = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(provider, 2).clock(clock)
                .ids(() -> "job-" + ids.incrementAndGet()).build();
        var request = new ImagineRequest(member(user), "a fox", QuotaFixtures.catalog().defaultModel(), "1:1", count, null, true);
        return service.run(request, delivery);
    }

    @Test
    void a_blocked_member_is_refused_without_a_gateway_call_and_the_job_says_so() {
        quota.block("discord:admin", new Member(Platform.DISCORD, "mallory"), "abuse");
        var delivery = RecordingDelivery.acceptingAll();

        JobOutcome out = run("mallory", 1, delivery);

        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(provider.calls).hasValue(0);
        assertThat(delivery.refusals).extracting(Refusal::reason).containsExactly(Refusal.Reason.BLOCKED);
        assertThat(ledger.find(out.jobId()).orElseThrow().status()).isEqualTo(JobStatus.REFUSED);
        assertThat(ledger.tokens(out.jobId())).containsExactly(0, 0);
    }

    @Test
    void a_failing_gateway_charges_nothing_and_the_refund_is_recorded_on_the_job() {
        provider.images = -1;

        JobOutcome out = run("alice", 3, RecordingDelivery.acceptingAll());

        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.tokens(out.jobId())).containsExactly(3, 3);
        assertThat(quota.view(member("alice")).limits()).allSatisfy(l -> assertThat(l.remaining()).isEqualTo(l.capacity()));
    }

    @Test
    void a_partial_result_charges_only_the_images_delivered() {
        provider.images = 1;

        JobOutcome out = run("bob", 3, RecordingDelivery.acceptingAll());

        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(ledger.tokens(out.jobId())).containsExactly(3, 2);
        assertThat(ledger.images(out.jobId())).hasSize(1);
        assertThat(quota.view(member("bob")).limits()).extracting(l -> l.remaining()).containsExactly(2L, 24L);
    }

    @Test
    void more_requests_than_the_plan_allows_are_refused_with_the_refill_time_and_nothing_generated() {
        List<JobOutcome> outs = List.of(run("carl", 2, RecordingDelivery.acceptingAll()),
                run("carl", 1, RecordingDelivery.acceptingAll()));
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome refused = run("carl", 1, delivery);

        assertThat(outs).extracting(JobOutcome::status).containsOnly(JobStatus.SUCCEEDED);
        assertThat(refused.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(provider.calls).hasValue(2);
        assertThat(delivery.refusals).singleElement().satisfies(r -> {
            assertThat(r.message(Locale.ENGLISH)).isEqualTo("You have used your 3 images for this minute; the next one comes back in 20 s.");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        });
    }
}
