package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobFence;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.JobObserver;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-fencing in the core: a job that another process has repaired while this one was cut off from the database
 * (its lease claimed, the job closed, refunded and its member told there) posts nothing more from this process,
 * records no second end, refunds nothing again and tells the member nothing; a job whose process holds its lease and
 * whose row is still its own posts as before, asking before each post; a job whose fence cannot be asked at all ends
 * here, refunded and told, instead of waiting untold for a repair.
 */
class PostGateTest {
    /** A lease and a ledger row the test controls, counting what the core asks. */
    static class Fence implements JobFence {
        final AtomicLong term = new AtomicLong(1);
        final AtomicBoolean leaseHeld = new AtomicBoolean(true);
        final AtomicBoolean jobOpen = new AtomicBoolean(true);
        final AtomicInteger leaseAsked = new AtomicInteger();
        final AtomicInteger jobAsked = new AtomicInteger();
        volatile boolean broken;

        @Override
        public long term() {
            return term.get();
        }

        @Override
        public boolean holds(long t) {
            leaseAsked.incrementAndGet();
            if (broken) throw new IllegalStateException("database down (test)");
            return leaseHeld.get() && t == term.get();
        }

        @Override
        public boolean ownsOpen(String jobId) {
            jobAsked.incrementAndGet();
            return jobOpen.get();
        }
    }

    private final Fence fence = new Fence();
    private final MemoryLedger ledger = new MemoryLedger() {
        @Override
        public JobFence fence() {
            return fence;
        }
    };
    private final MemoryQuota quota = new MemoryQuota(10);
    private final ScriptedProvider provider = new ScriptedProvider("a");
    private final AtomicInteger fenced = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final ModelCatalog catalog = CoreFixtures.catalog();

    private GenerationService service() {
        return TestPipeline.pipeline().quota(quota).ledger(ledger).provider(provider, 2)
                .observer(new JobObserver() {
                    @Override
                    public void jobEnded(ImagineRequest request, dev.pictor.core.port.JobClosing closing, Duration took) {
                        ended.incrementAndGet();
                    }

                    @Override
                    public void jobFenced(ImagineRequest request) {
                        fenced.incrementAndGet();
                    }
                }).build();
    }

    private ImagineRequest request(int count) {
        return new ImagineRequest(ALICE, "a fox", catalog.find("imagen-4").orElseThrow(), "1:1", count, null, true);
    }

    private static ProviderResult images(int n) {
        return new ProviderResult(IntStream.range(0, n).mapToObj(i -> ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", null)).toList(), 7L, 0.06);
    }

    /** A chat adapter that posts one message per image, asking before each post, and records what reached the chat. */
    static class Chat implements Delivery {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<Refusal> told = new CopyOnWriteArrayList<>();
        /** Runs after the n-th post (1-based), e.g. to have another process repair the job meanwhile. */
        java.util.function.IntConsumer afterPost = n -> { };

        @Override
        public int deliver(Generated g) {
            int posted = 0;
            for (int i = 0; i < g.images().size(); i++) {
                if (!g.receipts().mayPost()) return posted;
                messages.add("image " + (i + 1));
                g.receipts().confirmed(new JobPost("chat", "m" + i, 1));
                posted++;
                afterPost.accept(posted);
            }
            return posted;
        }

        @Override
        public void refused(Refusal refusal) {
            told.add(refusal);
        }
    }

    @Test
    void a_job_repaired_elsewhere_while_the_provider_worked_posts_nothing_records_no_end_and_tells_nobody() {
        // given Alice's 2-image job, and while the provider works, this process loses its lease to another, which
        // repairs the job (closes it, refunds it, tells Alice)
        provider.then(call -> {
            fence.leaseHeld.set(false);
            fence.jobOpen.set(false);
            return images(2);
        });
        var chat = new Chat();

        // when the provider answers
        JobOutcome out = service().run(request(2), chat);

        // then nothing reaches the chat, no end is recorded here, nothing is refunded here and Alice is not told again
        assertThat(chat.messages).isEmpty();
        assertThat(chat.told).isEmpty();
        assertThat(ledger.closed).isEmpty();
        assertThat(ledger.posts).isEmpty();
        assertThat(quota.refunded.get()).isZero();
        assertThat(out.delivered()).isZero();
        // and the job counts as fenced, not as ended (the repairer counts its end)
        assertThat(fenced.get()).isEqualTo(1);
        assertThat(ended.get()).isZero();
    }

    @Test
    void a_job_whose_row_another_process_closed_posts_nothing_even_while_this_process_holds_its_lease() {
        // given the lease held (renewed in time), but the job's row closed by another process (a peer that took this
        // host's process for gone, or the stale-job rule)
        provider.then(call -> {
            fence.jobOpen.set(false);
            return images(1);
        });
        var chat = new Chat();

        service().run(request(1), chat);

        assertThat(chat.messages).isEmpty();
        assertThat(chat.told).isEmpty();
        assertThat(ledger.closed).isEmpty();
        assertThat(fenced.get()).isEqualTo(1);
    }

    @Test
    void a_lease_lost_between_two_posts_stops_the_rest_and_keeps_what_was_posted_recorded() {
        // given a 3-image job whose process loses its lease (a new term) after the first image was posted
        provider.then(call -> images(3));
        var chat = new Chat();
        chat.afterPost = n -> {
            if (n == 1) fence.term.incrementAndGet();
        };

        service().run(request(3), chat);

        // then only the first image is in the chat, recorded as posted for the repairer to count; no end, no word
        assertThat(chat.messages).containsExactly("image 1");
        assertThat(ledger.posts.get(ledger.opened.keySet().iterator().next())).hasSize(1);
        assertThat(ledger.closed).isEmpty();
        assertThat(chat.told).isEmpty();
        assertThat(quota.refunded.get()).isZero();
    }

    @Test
    void when_the_lease_cannot_be_asked_nothing_is_posted_and_the_job_ends_here_refunded_and_told() {
        // given the database away from the provider's answer on (the lease and the ledger cannot be asked)
        provider.then(call -> {
            fence.broken = true;
            return images(1);
        });
        var chat = new Chat();

        JobOutcome out = service().run(request(1), chat);

        // then nothing is posted, but the job is not left to a repair nobody makes (this process's lease stands):
        // it was asked again, then ended here as a failed delivery, refunded, its member told once
        assertThat(chat.messages).isEmpty();
        assertThat(fence.leaseAsked.get()).isGreaterThan(1);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.only().status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.only().errorClass()).isEqualTo("fence-unsure");
        assertThat(quota.net()).isZero();
        assertThat(chat.told).hasSize(1);
        assertThat(fenced.get()).isZero();
    }

    @Test
    void a_database_away_for_a_moment_only_delays_the_post() {
        // given the lease that cannot be asked once, then can
        provider.then(call -> images(1));
        var flaky = new Fence() {
            @Override
            public boolean holds(long t) {
                if (leaseAsked.get() == 0) {
                    leaseAsked.incrementAndGet();
                    throw new IllegalStateException("database down for a moment (test)");
                }
                return super.holds(t);
            }
        };
        var ledgerWithFlaky = new MemoryLedger() {
            @Override
            public JobFence fence() {
                return flaky;
            }
        };
        var chat = new Chat();

        JobOutcome out = TestPipeline.pipeline().quota(quota).ledger(ledgerWithFlaky).provider(provider, 2).build()
                .run(request(1), chat);

        // then the picture is posted and the job succeeds
        assertThat(chat.messages).containsExactly("image 1");
        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ledgerWithFlaky.only().delivered()).isEqualTo(1);
    }

    @Test
    void a_job_its_process_still_holds_posts_as_before_asking_the_lease_and_the_ledger_before_each_post() {
        // given the lease held and the job open
        provider.then(call -> images(3));
        var chat = new Chat();

        JobOutcome out = service().run(request(3), chat);

        // then all three images are posted and the job ends once, succeeded
        assertThat(chat.messages).containsExactly("image 1", "image 2", "image 3");
        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ledger.only().delivered()).isEqualTo(3);
        assertThat(ended.get()).isEqualTo(1);
        assertThat(fenced.get()).isZero();
        // and the lease (in memory) was asked once the job was recorded, and it and the job's row before the core's
        // check and before each post
        assertThat(fence.jobAsked.get()).isEqualTo(4);
        assertThat(fence.leaseAsked.get()).isEqualTo(5);
    }

    @Test
    void a_job_recorded_just_as_the_lease_was_lost_is_not_run_and_ends_here_refused_with_nothing_charged() {
        // given a lease lost just as Alice's job is recorded (another process may have claimed it, and its repair may
        // have read the open jobs a moment before this one was there)
        var lostAtOpen = new MemoryLedger() {
            @Override
            public JobFence fence() {
                return fence;
            }

            @Override
            public boolean opened(dev.pictor.core.port.JobRecord job) {
                boolean recorded = super.opened(job);
                fence.leaseHeld.set(false);
                return recorded;
            }
        };
        var chat = new Chat();

        JobOutcome out = TestPipeline.pipeline().quota(quota).ledger(lostAtOpen).provider(provider, 2).build()
                .run(request(2), chat);

        // then nothing is charged, no provider is asked, the job ends here refused, and Alice is told to ask again
        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(quota.charged.get()).isZero();
        assertThat(provider.calls).isEmpty();
        assertThat(lostAtOpen.only().status()).isEqualTo(JobStatus.REFUSED);
        assertThat(lostAtOpen.only().errorClass()).isEqualTo("lease-lost-at-open");
        assertThat(chat.told).singleElement().isEqualTo(Refusal.cannotRecordJobs());
        assertThat(chat.messages).isEmpty();
    }

    @Test
    void a_job_whose_lease_cannot_be_asked_once_recorded_is_not_run_either() {
        fence.broken = true;
        var chat = new Chat();

        JobOutcome out = service().run(request(1), chat);

        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(quota.charged.get()).isZero();
        assertThat(provider.calls).isEmpty();
        assertThat(chat.told).singleElement().isEqualTo(Refusal.cannotRecordJobs());
    }

    @Test
    void a_failed_job_whose_process_was_fenced_during_delivery_is_not_told_twice() {
        // given the lease lost before the adapter's first post (after the core's own check)
        provider.then(call -> images(1));
        var chat = new Chat() {
            @Override
            public int deliver(Generated g) {
                fence.leaseHeld.set(false);
                return super.deliver(g);
            }
        };

        service().run(request(1), chat);

        // then delivered 0 does not become "not posted, nothing charged" told to Alice: the repairer told her
        assertThat(chat.messages).isEmpty();
        assertThat(chat.told).isEmpty();
        assertThat(ledger.closed).isEmpty();
        assertThat(fenced.get()).isEqualTo(1);
    }

    @Test
    void the_ledgers_without_a_fence_post_as_ever() {
        var plain = new MemoryLedger();
        provider.then(call -> images(1));
        var chat = new Chat();

        TestPipeline.pipeline().quota(quota).ledger(plain).provider(provider, 2).build().run(request(1), chat);

        assertThat(chat.messages).containsExactly("image 1");
        assertThat(plain.only().status()).isEqualTo(JobStatus.SUCCEEDED);
    }
}
