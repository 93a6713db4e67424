package dev.pictor.core;

import java.util.Locale;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.Requester;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;
import dev.pictor.testing.RecordingDelivery;
import dev.pictor.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class GenerationServiceTest {
    private final MemoryQuota quota = new MemoryQuota(10);
    private final MemoryLedger ledger = new MemoryLedger();
    private final ScriptedProvider a = new ScriptedProvider("a");
    private final ScriptedProvider b = new ScriptedProvider("b");
    private final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> fetched = new ArrayList<>();
    private final ModelCatalog catalog = CoreFixtures.catalog();

    private GenerationService service(ProviderSlots providers) {
        return TestPipeline.pipeline().quota(quota).ledger(ledger).providers(providers).fetcher(url -> {
            fetched.add(url);
            if (url.endsWith("/missing")) throw new ProviderException(ProviderException.Kind.REJECTED, 404, "HTTP 404", null, null);
            return TestImages.png(8, 8);
        }).retry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2))).ids(() -> "job-" + ids.incrementAndGet())
                .sleeper(slept::add).build();
    }

    private GenerationService service() {
        return service(new ProviderSlots().add(a, 4).add(b, 4));
    }

    private ImagineRequest request(String model, int count) {
        return new ImagineRequest(ALICE, "a fox", catalog.find(model).orElseThrow(), "1:1", count, null, true);
    }

    private static ProviderResult images(int n) {
        return new ProviderResult(IntStream.range(0, n).mapToObj(i -> ProviderImage.ofBytes(TestImages.png(4, 4), "image/png", "a fox, enhanced")).toList(), 99L, 0.06);
    }

    @Test
    void all_images_delivered_charges_them_all_and_records_success() {
        a.then(c -> images(2));
        var delivery = RecordingDelivery.acceptingAll();

        JobOutcome out = service().run(request("imagen-4", 2), delivery);

        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(quota.net()).isEqualTo(2);
        var closing = ledger.only();
        assertThat(closing).extracting(c -> c.status(), c -> c.delivered(), c -> c.charged(), c -> c.refunded(), c -> c.provider(), c -> c.seed())
                .containsExactly(JobStatus.SUCCEEDED, 2, 2, 0, "a", 99L);
        assertThat(closing.images()).hasSize(2).allSatisfy(i -> assertThat(i.width()).isEqualTo(4));
        assertThat(delivery.delivered.getFirst().revisedPrompt()).isEqualTo("a fox, enhanced");
        assertThat(delivery.progress).containsExactly(Delivery.Progress.GENERATING);
        assertThat(a.calls.getFirst()).extracting(c -> c.model(), c -> c.count()).containsExactly("google/imagen-4.0-generate-001", 2);
    }

    /** A delivery that has the platform confirm {@code posts} images one message at a time, then fails with {@code then}. */
    private Delivery postingThenFailing(int posts, Exception then) {
        return new Delivery() {
            @Override
            public int deliver(dev.pictor.core.port.Generated g) throws Exception {
                for (int i = 0; i < posts; i++) g.receipts().confirmed(new JobPost("chat-1", "m" + i, 1));
                throw then;
            }

            @Override
            public void refused(Refusal refusal) {
                refusals.add(refusal);
            }
        };
    }

    private final List<Refusal> refusals = new ArrayList<>();

    @Test
    void when_the_images_of_running_jobs_fill_the_memory_budget_the_next_job_waits_queued_before_calling_the_gateway()
            throws Exception {
        // a budget smaller than any job's images: a job alone proceeds, the next waits for its share
        var memory = new ImageMemory(1);
        var service = TestPipeline.pipeline().quota(quota).ledger(ledger).provider(a, 4).fetcher(url -> TestImages.png(8, 8))
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1))).ids(() -> "job-" + ids.incrementAndGet())
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).sleeper(slept::add).memory(memory)
                .build();
        var uploading = new java.util.concurrent.CountDownLatch(1);
        var finishUpload = new java.util.concurrent.CountDownLatch(1);
        a.then(c -> images(1)).then(c -> images(1));
        var slowUpload = new Delivery() {
            @Override
            public int deliver(dev.pictor.core.port.Generated g) throws Exception {
                uploading.countDown();
                finishUpload.await();
                return 1;
            }

            @Override
            public void refused(Refusal refusal) {
            }
        };
        var second = RecordingDelivery.acceptingAll();

        var first = service.submit(request("imagen-4", 1), slowUpload);
        assertThat(uploading.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var next = service.submit(request("imagen-4", 1), second);
        Thread.sleep(200);

        assertThat(a.calls).as("the second job has not called the provider yet").hasSize(1);
        assertThat(second.progress).containsExactly(Delivery.Progress.QUEUED);
        finishUpload.countDown();
        assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(second.progress).containsExactly(Delivery.Progress.QUEUED, Delivery.Progress.GENERATING);
        assertThat(memory.used()).isZero();
    }

    @Test
    void a_request_whose_origin_already_has_a_job_is_not_run_twice_nothing_charged_nobody_told() {
        a.then(c -> images(1));
        var first = RecordingDelivery.withOrigin("telegram:bot:7");
        var again = RecordingDelivery.withOrigin("telegram:bot:7");

        assertThat(service().run(request("imagen-4", 1), first).status()).isEqualTo(JobStatus.SUCCEEDED);
        JobOutcome twice = service().run(request("imagen-4", 1), again);

        assertThat(twice.jobId()).isNull();
        assertThat(ledger.opened).hasSize(1);
        assertThat(a.calls).hasSize(1);
        assertThat(quota.net()).isEqualTo(1);
        assertThat(again.delivered).isEmpty();
        assertThat(again.refusals).isEmpty();
    }

    @Test
    void an_error_thrown_by_the_gateway_call_like_an_out_of_memory_still_ends_the_job_failed_and_refunded() {
        a.then(c -> {
            throw new OutOfMemoryError("Java heap space (test)");
        });
        var delivery = RecordingDelivery.acceptingAll();

        JobOutcome out = service().run(request("imagen-4", 2), delivery);

        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.only()).extracting(c -> c.status(), c -> c.charged(), c -> c.refunded(), c -> c.errorClass())
                .containsExactly(JobStatus.FAILED, 2, 2, "internal-OutOfMemoryError");
        assertThat(quota.net()).isZero();
        assertThat(delivery.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH)).contains("Nothing was charged"));
    }

    @Test
    void an_error_thrown_while_uploading_still_ends_the_job_terminal_and_refunded() {
        a.then(c -> images(1));
        var failing = new Delivery() {
            @Override
            public int deliver(dev.pictor.core.port.Generated g) {
                throw new StackOverflowError("test");
            }

            @Override
            public void refused(Refusal refusal) {
                refusals.add(refusal);
            }
        };

        JobOutcome out = service().run(request("imagen-4", 1), failing);

        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.only().refunded()).isEqualTo(1);
        assertThat(quota.net()).isZero();
        assertThat(refusals).hasSize(1);
    }

    @Test
    void an_upload_that_fails_after_two_of_three_posts_were_confirmed_counts_them_and_says_so() {
        a.then(c -> images(3));

        JobOutcome out = service().run(request("imagen-4", 3), postingThenFailing(2, new java.io.IOException("reset")));

        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(out.delivered()).isEqualTo(2);
        assertThat(ledger.only()).extracting(c -> c.delivered(), c -> c.charged(), c -> c.refunded())
                .containsExactly(2, 3, 1);
        assertThat(quota.net()).isEqualTo(2);
        assertThat(ledger.posts.get(out.jobId())).containsExactly(new JobPost("chat-1", "m0", 1), new JobPost("chat-1", "m1", 1));
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH))
                .isEqualTo("Only 2 of your 3 images could be posted; the other 1 was not charged.")
                .doesNotContain("Nothing was charged"));
    }

    @Test
    void a_stop_after_one_post_was_confirmed_counts_it_even_though_the_upload_threw() {
        a.then(c -> images(2));

        JobOutcome out = service().run(request("imagen-4", 2), postingThenFailing(1, new InterruptedException("stop")));

        assertThat(Thread.interrupted()).isTrue(); // the stop is kept for the caller
        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(ledger.only()).extracting(c -> c.delivered(), c -> c.refunded(), c -> c.errorClass())
                .containsExactly(1, 1, "delivery-interrupted");
        assertThat(quota.net()).isEqualTo(1);
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH))
                .isEqualTo("Only 1 of your 2 images could be posted; the other 1 was not charged."));
    }

    @Test
    void a_refund_that_keeps_failing_after_a_partial_upload_leaves_the_job_open_for_repair_and_promises_no_more() {
        var brokenRefunds = new MemoryQuota(10) {
            @Override
            public synchronized void refund(dev.pictor.core.port.QuotaDecision.Granted grant, int images) {
                throw new IllegalStateException("quota store down (test)");
            }
        };
        a.then(c -> images(3));
        var service = TestPipeline.pipeline().quota(brokenRefunds).ledger(ledger).provider(a, 4).fetcher(url -> TestImages.png(8, 8))
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1))).ids(() -> "job-" + ids.incrementAndGet())
                .sleeper(slept::add).build();

        JobOutcome out = service.run(request("imagen-4", 3), postingThenFailing(2, new java.io.IOException("reset")));

        // not closed: the ledger's repair counts the 2 recorded posts and gives the third back once the quota answers
        assertThat(ledger.closed).isEmpty();
        assertThat(ledger.posts.get(out.jobId())).hasSize(2);
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH))
                .isEqualTo("Only 2 of your 3 images could be posted; the other 1 will be given back automatically."));
    }

    @Test
    void a_job_the_ledger_cannot_record_is_refused_before_anything_is_charged_or_asked() {
        a.then(c -> images(1));
        var broken = new MemoryLedger() {
            @Override
            public synchronized boolean opened(dev.pictor.core.port.JobRecord job) {
                throw new IllegalStateException("the database file is gone (test)");
            }
        };
        var service = TestPipeline.pipeline().quota(quota).ledger(broken).provider(a, 4).fetcher(url -> TestImages.png(8, 8))
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1))).ids(() -> "job-" + ids.incrementAndGet())
                .sleeper(slept::add).build();
        var delivery = RecordingDelivery.acceptingAll();

        JobOutcome out = service.run(request("imagen-4", 1), delivery);

        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(a.calls).isEmpty();
        assertThat(quota.charged).hasValue(0);
        assertThat(delivery.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH))
                .contains("cannot record jobs").contains("nothing was charged"));
    }

    @Test
    void fewer_images_than_asked_is_a_partial_success_with_the_rest_refunded() {
        a.then(c -> images(1));
        JobOutcome out = service().run(request("imagen-4", 3), RecordingDelivery.acceptingAll());
        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(quota.net()).isEqualTo(1);
        assertThat(quota.refundCalls).hasValue(1);
        assertThat(ledger.only().refunded()).isEqualTo(2);
        assertThat(ledger.only().errorClass()).isEqualTo("fewer-images");
    }

    @Test
    void no_images_at_all_refunds_everything_and_says_the_filter_blocked_them() {
        a.then(c -> images(0));
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service().run(request("imagen-4", 2), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(out.refusal().reason()).isEqualTo(Refusal.Reason.SAFETY_BLOCKED);
        assertThat(quota.net()).isZero();
        assertThat(delivery.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH)).contains("Nothing was charged"));
    }

    @Test
    void a_transient_failure_goes_to_the_next_route_at_once_when_it_can_take_the_job_no_backoff() {
        a.fails(ProviderException.Kind.TRANSIENT, 503);
        b.then(c -> images(1));
        JobOutcome out = service().run(request("imagen-3", 1), RecordingDelivery.acceptingAll());
        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(1);
        assertThat(b.calls).hasSize(1);
        assertThat(slept).isEmpty();
        assertThat(ledger.only().provider()).isEqualTo("b");
    }

    @Test
    void on_the_last_route_transient_failures_are_retried_with_backoff_then_the_job_fails() {
        a.fails(ProviderException.Kind.TRANSIENT, 503).fails(ProviderException.Kind.TRANSIENT, 502).fails(ProviderException.Kind.TRANSIENT, 500);
        b.fails(ProviderException.Kind.TRANSIENT, 503).fails(ProviderException.Kind.TRANSIENT, 502).then(c -> images(1));
        JobOutcome first = service().run(request("imagen-4", 1), RecordingDelivery.acceptingAll());
        assertThat(first.status()).isEqualTo(JobStatus.FAILED);
        assertThat(a.calls).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        // a model with two routes: the first hands its failure to the second, which is retried as the last one
        slept.clear();
        a.fails(ProviderException.Kind.TRANSIENT, 503);
        JobOutcome second = service().run(request("imagen-3", 1), RecordingDelivery.acceptingAll());
        assertThat(second.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(4);
        assertThat(b.calls).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retry_after_is_honoured_and_a_long_one_moves_on_at_once() {
        a.then(c -> {
            throw new ProviderException(ProviderException.Kind.TRANSIENT, 429, "HTTP 429", Duration.ofSeconds(1), null);
        }).then(c -> {
            throw new ProviderException(ProviderException.Kind.TRANSIENT, 429, "HTTP 429", Duration.ofMinutes(5), null);
        });
        JobOutcome out = service().run(request("imagen-4", 1), RecordingDelivery.acceptingAll());
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
        assertThat(a.calls).hasSize(2);
        // and the member is told when to come back: the provider's 5 min
        assertThat(out.refusal().retryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(out.refusal().message(Locale.ENGLISH)).endsWith("Nothing was charged. Try again in 5 min.");
    }

    @Test
    void unavailable_gateway_is_not_retried_but_fails_over() {
        a.fails(ProviderException.Kind.UNAVAILABLE, 401);
        b.then(c -> images(1));
        assertThat(service().run(request("imagen-3", 1), RecordingDelivery.acceptingAll()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.calls).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void a_rejected_request_does_not_fail_over_and_charges_nothing() {
        a.fails(ProviderException.Kind.REJECTED, 400);
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service().run(request("imagen-3", 2), delivery);
        assertThat(out.refusal().reason()).isEqualTo(Refusal.Reason.REQUEST_REJECTED);
        assertThat(b.calls).isEmpty();
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().errorClass()).isEqualTo("rejected-400");
    }

    @Test
    void a_safety_block_stops_and_says_so() {
        a.fails(ProviderException.Kind.CONTENT_BLOCKED, 400);
        JobOutcome out = service().run(request("imagen-3", 1), RecordingDelivery.acceptingAll());
        assertThat(out.refusal().reason()).isEqualTo(Refusal.Reason.SAFETY_BLOCKED);
        assertThat(b.calls).isEmpty();
        assertThat(quota.net()).isZero();
    }

    @Test
    void every_route_down_refunds_and_says_try_later() {
        a.fails(ProviderException.Kind.TRANSIENT, 500).fails(ProviderException.Kind.TRANSIENT, 500).fails(ProviderException.Kind.TRANSIENT, 500);
        b.fails(ProviderException.Kind.UNAVAILABLE, 403);
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service().run(request("imagen-3", 2), delivery);
        assertThat(out.refusal().reason()).isEqualTo(Refusal.Reason.PROVIDER_DOWN);
        assertThat(delivery.refusals.getFirst().message(Locale.ENGLISH)).contains("try again");
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void a_route_whose_provider_is_not_enabled_is_skipped() {
        b.then(c -> images(1));
        var out = service(new ProviderSlots().add(b, 1)).run(request("imagen-3", 1), RecordingDelivery.acceptingAll());
        assertThat(out.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void no_enabled_provider_tells_the_member_to_ask_an_admin() {
        var out = service(new ProviderSlots()).run(request("imagen-4", 1), RecordingDelivery.acceptingAll());
        assertThat(out.refusal().message(Locale.ENGLISH)).contains("admin");
        assertThat(quota.net()).isZero();
    }

    @Test
    void url_images_are_fetched_and_a_failed_download_is_refunded() {
        a.then(c -> new ProviderResult(List.of(ProviderImage.ofUrl("http://cdn/ok", "image/png", null),
                ProviderImage.ofUrl("http://cdn/missing", "image/png", null)), null, null));
        JobOutcome out = service().run(request("imagen-4", 2), RecordingDelivery.acceptingAll());
        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(fetched).containsExactly("http://cdn/ok", "http://cdn/missing");
        assertThat(quota.net()).isEqualTo(1);
        assertThat(ledger.only().errorClass()).isEqualTo("fetch-rejected-404");
    }

    @Test
    void bytes_that_are_not_an_image_are_dropped_and_refunded() {
        a.then(c -> new ProviderResult(List.of(ProviderImage.ofBytes("<html>".getBytes(), "image/png", null)), null, null));
        JobOutcome out = service().run(request("imagen-4", 1), RecordingDelivery.acceptingAll());
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().errorClass()).isEqualTo("not-an-image");
    }

    @Test
    void more_images_than_asked_are_cut_to_the_count() {
        a.then(c -> images(4));
        var delivery = RecordingDelivery.acceptingAll();
        service().run(request("imagen-4", 2), delivery);
        assertThat(delivery.delivered.getFirst().images()).hasSize(2);
        assertThat(quota.net()).isEqualTo(2);
    }

    @Test
    void an_upload_failure_refunds_everything_and_tells_the_member() {
        a.then(c -> images(2));
        var delivery = RecordingDelivery.failing();
        JobOutcome out = service().run(request("imagen-4", 2), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(out.refusal().reason()).isEqualTo(Refusal.Reason.DELIVERY_FAILED);
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().errorClass()).isEqualTo("delivery-IOException");
    }

    @Test
    void a_partial_upload_refunds_the_images_that_did_not_arrive() {
        a.then(c -> images(3));
        JobOutcome out = service().run(request("imagen-4", 3), RecordingDelivery.acceptingAtMost(1));
        assertThat(out.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(quota.net()).isEqualTo(1);
        assertThat(ledger.only().images()).hasSize(1);
        assertThat(ledger.only().errorClass()).isEqualTo("delivery-partial");
    }

    @Test
    void quota_spent_refuses_without_calling_the_gateway() {
        var poor = new MemoryQuota(1);
        var service = TestPipeline.pipeline().quota(poor).ledger(ledger).provider(a, 1).fetcher(url -> null)
                .retry(RetryPolicy.DEFAULT).ids(() -> "j" + ids.incrementAndGet()).build();
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service.run(request("imagen-4", 2), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.REFUSED);
        assertThat(a.calls).isEmpty();
        assertThat(delivery.refusals.getFirst().reason()).isEqualTo(Refusal.Reason.QUOTA_SPENT);
        assertThat(ledger.only().status()).isEqualTo(JobStatus.REFUSED);
    }

    @Test
    void a_bug_in_the_pipeline_still_refunds_and_closes_the_job() {
        a.then(c -> {
            throw new IllegalStateException("boom");
        });
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service().run(request("imagen-4", 2), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(quota.net()).isZero();
        assertThat(ledger.only().errorClass()).isEqualTo("internal-IllegalStateException");
        assertThat(delivery.refusals).hasSize(1);
    }

    /** A provider call that says it started, then holds its slot until {@code release} opens; one image. */
    private static ScriptedProvider.Step heldUntil(java.util.concurrent.CountDownLatch entered,
                                                   java.util.concurrent.CountDownLatch release) {
        return c -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return images(1);
        };
    }

    /** The maps logback keeps for the calling thread's MDC (its keys, and the read-only copy log lines use), those it has. */
    private static List<java.lang.ref.WeakReference<Object>> mdcMaps() throws ReflectiveOperationException {
        Object adapter = org.slf4j.MDC.getMDCAdapter();
        var maps = new ArrayList<java.lang.ref.WeakReference<Object>>();
        for (String field : List.of("readWriteThreadLocalMap", "readOnlyThreadLocalMap")) {
            var f = adapter.getClass().getDeclaredField(field);
            f.setAccessible(true);
            Object map = ((ThreadLocal<?>) f.get(adapter)).get();
            if (map != null) maps.add(new java.lang.ref.WeakReference<>(map));
        }
        return maps;
    }

    @Test
    void a_job_waiting_for_a_provider_slot_keeps_no_mdc_maps_on_its_thread_and_has_its_mdc_back_when_it_calls()
            throws Exception {
        // given a provider with one slot, taken by a first job
        var entered = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var jobOfSecondCall = new java.util.concurrent.atomic.AtomicReference<String>();
        a.then(heldUntil(entered, release)).then(c -> {
            jobOfSecondCall.set(org.slf4j.MDC.get("job"));
            return images(1);
        });
        var service = service(new ProviderSlots().add(a, 1));
        var first = new Thread(() -> service.run(request("imagen-4", 1), RecordingDelivery.acceptingAll()));
        first.start();
        assertThat(entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // when a second job has to wait for the slot ("Queued" is said on its thread, its MDC still set)
        var maps = new java.util.concurrent.CopyOnWriteArrayList<java.lang.ref.WeakReference<Object>>();
        var jobAtQueued = new java.util.concurrent.atomic.AtomicReference<String>();
        var second = new Delivery() {
            @Override
            public void progress(Progress progress) {
                if (progress != Progress.QUEUED) return;
                jobAtQueued.set(org.slf4j.MDC.get("job"));
                try {
                    maps.addAll(mdcMaps());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public int deliver(dev.pictor.core.port.Generated generated) {
                return generated.images().size();
            }

            @Override
            public void refused(Refusal refusal) {
            }
        };
        var t2 = new Thread(() -> service.run(request("imagen-4", 1), second));
        t2.start();
        while (jobAtQueued.get() == null || t2.getState() != Thread.State.WAITING) Thread.sleep(5);
        // then while it waits, logback's maps of its MDC are garbage (its thread keeps only the three values)
        assertThat(jobAtQueued.get()).isEqualTo("job-2");
        assertThat(maps).isNotEmpty();
        for (int i = 0; i < 50 && maps.stream().anyMatch(m -> m.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(maps).as("the MDC maps of the waiting job's thread").allSatisfy(m -> assertThat(m.get()).isNull());
        // and once it has the slot, its lines carry its MDC again
        release.countDown();
        first.join();
        t2.join();
        assertThat(jobOfSecondCall.get()).isEqualTo("job-2");
    }

    @Test
    void callers_beyond_the_gateway_limit_are_told_they_are_queued() throws Exception {
        var entered = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        a.then(heldUntil(entered, release)).then(c -> images(1));
        var service = service(new ProviderSlots().add(a, 1));
        var first = new Thread(() -> service.run(request("imagen-4", 1), RecordingDelivery.acceptingAll()));
        first.start();
        entered.await();
        var second = RecordingDelivery.acceptingAll();
        var t2 = new Thread(() -> service.run(request("imagen-4", 1), second));
        t2.start();
        while (!second.progress.contains(Delivery.Progress.QUEUED)) Thread.sleep(5);
        release.countDown();
        first.join();
        t2.join();
        assertThat(second.progress).containsExactly(Delivery.Progress.GENERATING, Delivery.Progress.QUEUED, Delivery.Progress.GENERATING);
        assertThat(second.delivered).hasSize(1);
    }

    @Test
    void a_quota_store_failure_closes_the_job_and_tells_the_member_without_calling_the_gateway() {
        var broken = new MemoryQuota(10) {
            @Override
            public synchronized dev.pictor.core.port.QuotaDecision charge(Requester who, int images) {
                throw new IllegalStateException("database is locked");
            }
        };
        var service = TestPipeline.pipeline().quota(broken).ledger(ledger).provider(a, 1).fetcher(url -> null)
                .retry(RetryPolicy.DEFAULT).ids(() -> "j" + ids.incrementAndGet()).build();
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service.run(request("imagen-4", 1), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.only().errorClass()).isEqualTo("internal-quota-IllegalStateException");
        assertThat(ledger.only().charged()).isZero();
        assertThat(a.calls).isEmpty();
        assertThat(delivery.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH)).contains("before anything was charged"));
    }

    @Test
    void a_refund_that_keeps_failing_leaves_the_job_open_for_repair_and_never_claims_nothing_was_charged() {
        var stuck = new MemoryQuota(10) {
            @Override
            public synchronized void refund(dev.pictor.core.port.QuotaDecision.Granted grant, int images) {
                throw new IllegalStateException("disk full");
            }
        };
        a.fails(ProviderException.Kind.REJECTED, 400);
        var service = TestPipeline.pipeline().quota(stuck).ledger(ledger).provider(a, 1).fetcher(url -> null)
                .retry(RetryPolicy.DEFAULT).ids(() -> "j" + ids.incrementAndGet()).build();
        var delivery = RecordingDelivery.acceptingAll();
        JobOutcome out = service.run(request("imagen-4", 2), delivery);
        assertThat(out.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.closed).isEmpty();
        assertThat(ledger.opened).hasSize(1);
        assertThat(delivery.refusals).singleElement().satisfies(r -> assertThat(r.message(Locale.ENGLISH))
                .doesNotContain("Nothing was charged").contains("given back automatically"));
    }
}
