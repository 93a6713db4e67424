package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.ImageFetcher;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobObserver;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.SpendPort;
import dev.pictor.core.text.Msg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The generation pipeline every adapter shares: open the job → charge the quota → reserve its expected cost on the
 * daily spend caps → call the provider (retry, fail over) → fetch and check the images → deliver through the adapter
 * → refund what was not delivered → settle the spend with the real cost (or release it when nothing was paid) →
 * close the job. Every accepted request ends in a terminal state in the ledger, and nothing is charged for an image that did
 * not reach the member. Jobs run on an {@link ExecutorService} ({@link JobPool}); how they end is {@link JobEndings}.
 */
public final class GenerationService {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    private final QuotaPort quota;
    private final SpendPort spend;
    private final JobLedger ledger;
    private final ImageFetcher fetcher;
    private final RouteRunner routes;
    private final Clock clock;
    private final Supplier<String> ids;
    private final JobPool pool;
    private final JobObserver observer;
    private final ImageMemory memory;
    private final JobEndings endings;
    /** The member and chat of each job running here, for the admins' spend warnings ({@link #chatOf}). */
    private final java.util.Map<String, dev.pictor.core.port.JobChat> chats = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param sleeper  what waits between a route's attempts ({@link Sleeper#REAL} but in tests)
     * @param executor where {@link #submit} runs jobs; {@link #drain} shuts it down
     * @param memory   the budget for the images of running jobs ({@link ImageMemory#forHeap()} but in tests)
     */
    public GenerationService(QuotaPort quota, JobLedger ledger, ProviderSlots providers, ImageFetcher fetcher,
                             RetryPolicy retry, Sleeper sleeper, Clock clock, Supplier<String> ids,
                             ExecutorService executor, JobObserver observer, ImageMemory memory) {
        this(quota, SpendPort.NONE, ledger, providers, fetcher, retry, sleeper, clock, ids, executor, observer, memory);
    }

    /**
     * @param spend the daily spend caps ({@link SpendPort#NONE}: none)
     */
    public GenerationService(QuotaPort quota, SpendPort spend, JobLedger ledger, ProviderSlots providers,
                             ImageFetcher fetcher, RetryPolicy retry, Sleeper sleeper, Clock clock, Supplier<String> ids,
                             ExecutorService executor, JobObserver observer, ImageMemory memory) {
        this.quota = quota;
        this.spend = spend;
        this.ledger = ledger;
        this.fetcher = fetcher;
        this.routes = new RouteRunner(providers, retry, sleeper, clock, observer);
        this.clock = clock;
        this.ids = ids;
        this.pool = new JobPool(executor);
        this.observer = observer;
        this.memory = memory;
        this.endings = new JobEndings(ledger, observer, clock);
    }

    /**
     * Runs the job on the service's executor; the adapter's thread returns at once. Once {@link #drain} has begun,
     * the member is told that pictor is restarting and nothing is charged.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the executor has no room (it is not stopping)
     */
    public CompletableFuture<JobOutcome> submit(ImagineRequest request, Delivery delivery) {
        return pool.submit(() -> run(request, delivery), delivery);
    }

    /**
     * Stops taking jobs, lets running ones finish for up to {@code grace}, then interrupts the rest: each of those
     * is refunded, closed as failed and its member told. Returns how many had to be interrupted.
     */
    public int drain(Duration grace) throws InterruptedException {
        return pool.drain(grace);
    }

    /** Jobs running on the executor right now. */
    public int running() {
        return pool.running();
    }

    /**
     * Runs the job on the calling thread, start to terminal state. Its log lines carry the job id, the platform and
     * the model (MDC {@code job}, {@code platform}, {@code model}); the line of its end adds {@code outcome},
     * {@code provider} and {@code duration_ms} (the prompt is never logged at INFO).
     */
    public JobOutcome run(ImagineRequest request, Delivery delivery) {
        Instant start = clock.instant();
        String jobId = ids.get();
        JobLogContext.put(jobId, request);
        chats.put(jobId, new dev.pictor.core.port.JobChat(request.requester(), chatOf(delivery)));
        try {
            return run(request, delivery, start, jobId);
        } finally {
            chats.remove(jobId);
            JobLogContext.remove();
        }
    }

    /** The member and chat of job {@code jobId} while it runs in this process; empty once it ended, or elsewhere. */
    public Optional<dev.pictor.core.port.JobChat> chatOf(String jobId) {
        return jobId == null ? Optional.empty() : Optional.ofNullable(chats.get(jobId));
    }

    private static String chatOf(Delivery delivery) {
        try {
            return delivery.chat();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private JobOutcome run(ImagineRequest request, Delivery delivery, Instant start, String jobId) {
        // the lease term the job is recorded under, taken before it is: a term lost meanwhile fences the job
        PostGate gate = new PostGate(ledger.fence(), jobId);
        boolean recorded;
        try {
            recorded = ledger.opened(new JobRecord(jobId, request, start, delivery.origin()));
        } catch (RuntimeException e) {
            // nothing is charged or asked of a provider for a job that cannot be recorded
            log.warn("job {}: could not be recorded, refused: {}", jobId, e.toString());
            Refusal refusal = Refusal.cannotRecordJobs();
            JobEndings.tell(delivery, refusal, jobId);
            return new JobOutcome(null, JobStatus.REFUSED, 0, refusal);
        }
        if (!recorded) {
            // the event that asked was taken before (redelivered, or re-run after a crash): its job is recorded and
            // answers for it, so this one neither charges nor tells anybody anything
            log.info("the request from {} already has its job; not run twice", delivery.origin());
            return new JobOutcome(null, JobStatus.REFUSED, 0, null);
        }
        try {
            delivery.accepted(jobId);
        } catch (RuntimeException e) {
            log.warn("job {}: the adapter failed on its acceptance: {}", jobId, e.toString());
        }
        if (!gate.heldAtOpen()) {
            return endings.uncharged(request, start, jobId, delivery, JobStatus.REFUSED, "lease-lost-at-open",
                    Refusal.cannotRecordJobs());
        }
        observer.jobStarted(request);
        int asked = request.count();

        QuotaDecision decision;
        try {
            decision = quota.charge(jobId, request.requester(), asked);
        } catch (RuntimeException | Error e) {
            log.error("job {}: the quota could not be charged", jobId, e);
            return endings.uncharged(request, start, jobId, delivery, JobStatus.FAILED,
                    "internal-quota-" + e.getClass().getSimpleName(), Refusal.of(Refusal.Reason.PROVIDER_DOWN, Msg.JOB_QUOTA_ERROR));
        }
        if (decision instanceof QuotaDecision.Denied denied) {
            return endings.uncharged(request, start, jobId, delivery, JobStatus.REFUSED,
                    denied.refusal().reason().name().toLowerCase(Locale.ROOT), denied.refusal());
        }
        Job job = new Job(jobId, request, (QuotaDecision.Granted) decision, start, quota, ledger, gate);
        Double expected = expectedCost(request);
        if (expected != null) {
            Optional<Refusal> capped;
            try {
                capped = spend.reserve(jobId, request.requester(), expected);
            } catch (RuntimeException e) {
                log.error("job {}: the spend caps could not be checked", jobId, e);
                return endings.fail(job, delivery, Refusal.Reason.PROVIDER_DOWN, "internal-spend-" + e.getClass().getSimpleName(),
                        Msg.JOB_INTERNAL);
            }
            if (capped.isPresent()) {
                // nothing is charged for a job a cap stops: the quota is given back, the member told whose cap and when
                return endings.refuse(job, delivery, capped.get(), "spend_cap");
            }
        }
        try {
            return generate(job, delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return endings.fail(job, delivery, Refusal.Reason.INTERRUPTED, "interrupted", Msg.JOB_STOPPED);
        } catch (RuntimeException | Error e) {
            // an Error too (an OutOfMemoryError while decoding a huge answer, say): the job still ends terminal and
            // refunded; the memory it held is unreachable once this frame is left
            log.error("job {}: unexpected failure", jobId, e);
            return endings.fail(job, delivery, Refusal.Reason.PROVIDER_DOWN, "internal-" + e.getClass().getSimpleName(),
                    Msg.JOB_INTERNAL);
        } finally {
            if (expected != null) settleSpend(job);
        }
    }

    /**
     * What a job is expected to cost before any provider is called: the price of the first route that would be tried
     * times the images asked; null when that route has no price (no cap can be checked then).
     */
    static Double expectedCost(ImagineRequest request) {
        var routes = request.model().routesInTurn();
        if (routes.isEmpty() || routes.getFirst().price() == null) return null;
        return routes.getFirst().price() * request.count();
    }

    /** Settles the job's reservation with what its answer cost, or releases it when no provider was paid. */
    private void settleSpend(Job job) {
        try {
            if (job.cost != null) spend.settle(job.id, job.cost);
            else if (job.route != null) spend.settle(job.id, expectedCost(job.request)); // paid, at a price unknown
            else spend.release(job.id);
        } catch (RuntimeException e) {
            log.error("job {}: its spend reservation could not be settled; it stays counted for today", job.id, e);
        }
    }

    /**
     * What an answer cost in the configured currency: the provider's reported figure converted (its credits times
     * {@code credit-price}) when it has one, else the route's price per image times the images returned, else unknown.
     */
    static Double cost(ProviderResult result, Route route) {
        if (result.cost() != null) return result.cost();
        return route.price() == null ? null : route.price() * result.images().size();
    }

    private JobOutcome generate(Job job, Delivery delivery) throws InterruptedException {
        // room for the images first: nothing is asked of (or paid to) a provider for images there is no memory to hold
        int images = job.request.count();
        ImageMemory.Reservation now = memory.tryReserve(images);
        if (now == null) {
            delivery.progress(Delivery.Progress.QUEUED);
            now = JobLogContext.aside(() -> memory.reserve(images)); // no MDC maps on a waiting thread
        }
        try (ImageMemory.Reservation room = now) {
            return generate(job, delivery, room);
        }
    }

    private JobOutcome generate(Job job, Delivery delivery, ImageMemory.Reservation room) throws InterruptedException {
        ledger.started(job.id, clock.instant());
        delivery.progress(Delivery.Progress.GENERATING);
        RouteRunner.Answer answer = routes.generate(job.id, job.request, delivery);
        if (answer.refusal() != null) {
            return endings.fail(job, delivery, answer.refusal(), answer.errorClass());
        }
        job.route = answer.route();
        job.spend = answer.result().spend();
        job.cost = cost(answer.result(), job.route);
        job.seed = answer.result().seed(); // only a seed the answering provider confirms is shown and recorded
        job.revisedPrompt = answer.result().images().stream().map(ProviderImage::revisedPrompt)
                .filter(Objects::nonNull).findFirst().orElse(null);
        ledger.answered(job.id, job.route.provider(), job.route.model(), job.spend, job.cost, job.seed, job.revisedPrompt);

        var images = new ArrayList<Image>();
        String lastProblem = null;
        for (ProviderImage gi : answer.result().images()) {
            if (images.size() == job.request.count()) break;
            try {
                byte[] bytes = gi.bytes() != null ? gi.bytes() : fetcher.fetch(gi.url());
                var image = Image.of(bytes);
                if (image.isPresent()) images.add(image.get());
                else {
                    lastProblem = "not-an-image";
                    log.warn("job {}: dropped an answer that is not a PNG, JPEG, WebP or GIF image", job.id);
                }
            } catch (ProviderException e) {
                lastProblem = "fetch-" + e.errorClass();
                log.warn("job {}: image download failed: {} ({})", job.id, e.errorClass(), e.getMessage());
            }
        }
        room.settle(images.stream().mapToLong(Image::size).sum(), images.size());
        if (images.isEmpty()) {
            boolean noneReturned = answer.result().images().isEmpty();
            return noneReturned
                    ? endings.fail(job, delivery, Refusal.Reason.SAFETY_BLOCKED, "no-images", Msg.JOB_NO_IMAGES)
                    : endings.fail(job, delivery, Refusal.Reason.PROVIDER_DOWN, lastProblem, Msg.JOB_UNFETCHABLE);
        }

        Duration took = Duration.between(job.start, clock.instant());
        // another process may have repaired the job while the provider worked (this one cut off from the database
        // long enough for its lease to be claimed): then it posts nothing, records no end and tells nobody
        if (!job.mayPost()) {
            return job.fenced() ? endings.fenced(job, delivery)
                    : endings.fail(job, delivery, Refusal.Reason.DELIVERY_FAILED, "fence-unsure", Msg.JOB_NOT_POSTED);
        }
        var generated = new Generated(job.id, job.request, images, job.seed, job.revisedPrompt,
                job.route.provider(), took, job);
        int reported = 0;
        String deliveryError = null;
        boolean stopped = false;
        try {
            reported = delivery.deliver(generated);
        } catch (InterruptedException e) {
            if (job.posted() == 0 && !job.fenced()) throw e;
            stopped = true; // stopping, but what the platform confirmed counts; the flag is set again at the end
            deliveryError = "delivery-interrupted";
        } catch (Exception e) {
            log.warn("job {}: delivery failed: {}", job.id, e.toString());
            deliveryError = "delivery-" + e.getClass().getSimpleName();
        }
        if (job.fenced()) {
            // the adapter was stopped between posts: what it posted before is recorded, the rest is the repairer's
            if (stopped) Thread.currentThread().interrupt();
            return endings.fenced(job, delivery);
        }
        // what the platform confirmed is delivered, even when the upload failed or was stopped half-way
        int delivered = Math.max(0, Math.min(images.size(), Math.max(reported, job.posted())));
        if (delivered == 0) {
            return endings.fail(job, delivery, Refusal.Reason.DELIVERY_FAILED, deliveryError == null ? "delivery-none" : deliveryError,
                    Msg.JOB_NOT_POSTED);
        }
        try {
            return endings.delivered(job, delivery, images, delivered, deliveryError, lastProblem, took);
        } finally {
            if (stopped) Thread.currentThread().interrupt();
        }
    }
}
