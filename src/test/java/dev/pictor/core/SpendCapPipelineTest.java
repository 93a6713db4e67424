package dev.pictor.core;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.SpendPort;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pipeline and the daily spend caps: the job's expected cost (the first route's price × images) is reserved
 * before any provider is called; a cap that would be passed refuses the job, gives its quota back and calls nobody;
 * a delivered job settles with what it really cost, a failed one releases its reservation.
 */
class SpendCapPipelineTest {
    private final MemoryQuota quota = new MemoryQuota(10);
    private final MemoryLedger ledger = new MemoryLedger();
    private final ScriptedProvider a = new ScriptedProvider("a");
    private final AtomicInteger ids = new AtomicInteger();
    private final ModelCatalog catalog = new ModelCatalog(List.of(
            CoreFixtures.model("priced", new Route("a", "imagen-4", 0.04)),
            CoreFixtures.model("unpriced", new Route("a", "imagen-4"))), "priced");

    /** Records what the pipeline reserves, settles and releases; refuses reservations while {@link #full} is set. */
    private static final class Caps implements SpendPort {
        final List<String> calls = new CopyOnWriteArrayList<>();
        Refusal full;

        @Override
        public Optional<Refusal> reserve(String jobId, Requester who, double expected) {
            calls.add("reserve " + jobId + " " + who.memberKey() + " " + Math.round(expected * 100));
            return Optional.ofNullable(full);
        }

        @Override
        public void settle(String jobId, double actual) {
            calls.add("settle " + jobId + " " + Math.round(actual * 100));
        }

        @Override
        public void release(String jobId) {
            calls.add("release " + jobId);
        }
    }

    private final Caps caps = new Caps();

    private GenerationService service() {
        return TestPipeline.pipeline().quota(quota).spend(caps).ledger(ledger).provider(a, 4)
                .retry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).ids(() -> "job-" + ids.incrementAndGet()).build();
    }

    private ImagineRequest request(String model, int count) {
        return new ImagineRequest(ALICE, "a fox", catalog.find(model).orElseThrow(), "1:1", count, null, true);
    }

    private static ProviderResult images(int n, Double cost) {
        return new ProviderResult(IntStream.range(0, n).mapToObj(i -> ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null)).toList(),
                null, null, cost);
    }

    @Test
    void a_job_that_would_pass_a_cap_is_refused_before_any_provider_is_called_and_its_quota_is_given_back() {
        // given the community's cap is full
        caps.full = new Refusal(Refusal.Reason.QUOTA_SPENT, Text.of(Msg.SPEND_CAP_COMMUNITY, "platform", "discord",
                "cap", new java.math.BigDecimal("5"), "currency", "USD", "wait", Duration.ofMinutes(320)), Duration.ofMinutes(320));
        var delivery = RecordingDelivery.acceptingAll();

        // when alice asks for 2 images of a model priced 0.04 each
        JobOutcome out = service().run(request("priced", 2), delivery);

        // then 0.08 was asked of the caps, no provider was called, the quota is whole, and she is told whose cap
        assertThat(caps.calls).containsExactly("reserve job-1 cli:alice 8");
        assertThat(a.calls).isEmpty();
        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().status()).isEqualTo(JobStatus.REFUSED);
        assertThat(delivery.refusals.getFirst().message(Messages.ENGLISH))
                .contains("this server's daily spend cap of 5.00 USD").contains("nothing was charged").contains("5 h 20 min");
    }

    @Test
    void a_delivered_job_settles_with_what_the_provider_really_charged() {
        a.then(c -> images(2, 0.03));

        JobOutcome out = service().run(request("priced", 2), RecordingDelivery.acceptingAll());

        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(caps.calls).containsExactly("reserve job-1 cli:alice 8", "settle job-1 3");
        assertThat(ledger.only().cost()).isCloseTo(0.03, within(1e-9));
    }

    @Test
    void a_failed_job_releases_its_reservation() {
        a.fails(ProviderException.Kind.TRANSIENT, 500);

        JobOutcome out = service().run(request("priced", 1), RecordingDelivery.acceptingAll());

        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(caps.calls).containsExactly("reserve job-1 cli:alice 4", "release job-1");
        assertThat(quota.net()).isZero();
    }

    @Test
    void a_model_without_a_price_is_not_held_on_the_caps() {
        a.then(c -> images(1, null));

        service().run(request("unpriced", 1), RecordingDelivery.acceptingAll());

        assertThat(caps.calls).isEmpty();
    }
}
