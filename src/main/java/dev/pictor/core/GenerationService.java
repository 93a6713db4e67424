package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayImage;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.ImageFetcher;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobObserver;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The generation pipeline every adapter shares: open the job → charge the quota → call the gateway (retry, fail
 * over) → fetch and check the images → deliver through the adapter → refund what was not delivered → close the
 * job. Every accepted request ends in a terminal state in the ledger, and nothing is charged for an image that did
 * not reach the member.
 */
public final class GenerationService {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    private final QuotaPort quota;
    private final JobLedger ledger;
    private final ImageFetcher fetcher;
    private final RouteRunner routes;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Executor executor;
    private final JobObserver observer;
    private final ImageMemory memory;
    private final java.util.Set<Thread> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean accepting = true;

    public GenerationService(QuotaPort quota, JobLedger ledger, Gateways gateways, ImageFetcher fetcher,
                             RetryPolicy retry, Clock clock, Supplier<String> ids, Executor executor) {
        this(quota, ledger, gateways, fetcher, retry, clock, ids, executor, JobObserver.NONE);
    }

    public GenerationService(QuotaPort quota, JobLedger ledger, Gateways gateways, ImageFetcher fetcher,
                             RetryPolicy retry, Clock clock, Supplier<String> ids, Executor executor,
                             JobObserver observer) {
        this(quota, ledger, gateways, fetcher, retry, clock, ids, executor, observer, d -> Thread.sleep(d),
                ImageMemory.forHeap());
    }

    GenerationService(QuotaPort quota, JobLedger ledger, Gateways gateways, ImageFetcher fetcher, RetryPolicy retry,
                      Clock clock, Supplier<String> ids, Executor executor, RouteRunner.Sleeper sleeper) {
        this(quota, ledger, gateways, fetcher, retry, clock, ids, executor, JobObserver.NONE, sleeper, ImageMemory.forHeap());
    }

    GenerationService(QuotaPort quota, JobLedger ledger, Gateways gateways, ImageFetcher fetcher, RetryPolicy retry,
                      Clock clock, Supplier<String> ids, Executor executor, JobObserver observer,
                      RouteRunner.Sleeper sleeper, ImageMemory memory) {
        this.memory = memory;
        this.quota = quota;
        this.ledger = ledger;
        this.fetcher = fetcher;
        this.observer = observer;
        this.routes = new RouteRunner(gateways, retry, sleeper, clock, observer);
        this.clock = clock;
        this.ids = ids;
        this.executor = executor;
    }

    /**
     * Runs the job on the service's executor; the adapter's thread returns at once. Once {@link #drain} has begun,
     * the member is told that pictor is restarting and nothing is charged.
     */
    public CompletableFuture<JobOutcome> submit(ImagineRequest request, Delivery delivery) {
        if (!accepting) {
            Refusal refusal = Refusal.of(Refusal.Reason.INTERRUPTED,
                    "pictor is restarting and takes no new requests right now. Please ask again in a minute.");
            tell(delivery, refusal, "-");
            return CompletableFuture.completedFuture(new JobOutcome(null, JobStatus.REFUSED, 0, refusal));
        }
        return CompletableFuture.supplyAsync(() -> {
            Thread worker = Thread.currentThread();
            running.add(worker);
            try {
                return run(request, delivery);
            } finally {
                running.remove(worker);
                synchronized (running) {
                    running.notifyAll();
                }
            }
        }, executor);
    }

    /**
     * Stops taking jobs, lets running ones finish for up to {@code grace}, then interrupts the rest: each of those
     * is refunded, closed as failed and its member told. Returns how many had to be interrupted.
     */
    public int drain(Duration grace) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                running.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        var late = java.util.List.copyOf(running);
        late.forEach(Thread::interrupt);
        long waitUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < waitUntil) {
                running.wait(50);
            }
        }
        if (!late.isEmpty()) log.warn("shutdown: {} job(s) did not finish in {} s and were stopped and refunded", late.size(), grace.toSeconds());
        return late.size();
    }

    /** Jobs running on the executor right now. */
    public int running() {
        return running.size();
    }

    /**
     * Runs the job on the calling thread, start to terminal state. Its log lines carry the job id, the platform and
     * the model (MDC {@code job}, {@code platform}, {@code model}); the line of its end adds {@code outcome},
     * {@code provider} and {@code duration_ms} (the prompt is never logged at INFO).
     */
    public JobOutcome run(ImagineRequest request, Delivery delivery) {
        Instant start = clock.instant();
        String jobId = ids.get();
        MDC.put("job", jobId);
        MDC.put("platform", request.requester().platform());
        MDC.put("model", request.model().id());
        try {
            return run(request, delivery, start, jobId);
        } finally {
            MDC.remove("job");
            MDC.remove("platform");
            MDC.remove("model");
        }
    }

    private JobOutcome run(ImagineRequest request, Delivery delivery, Instant start, String jobId) {
        boolean recorded;
        try {
            recorded = ledger.opened(new JobRecord(jobId, request, start, delivery.origin()));
        } catch (RuntimeException e) {
            // nothing is charged or asked of a gateway for a job that cannot be recorded
            log.warn("job {}: could not be recorded, refused: {}", jobId, e.toString());
            Refusal refusal = QuotaText.cannotRecordJobs();
            tell(delivery, refusal, jobId);
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
        observer.jobStarted(request);
        int asked = request.count();

        QuotaDecision decision;
        try {
            decision = quota.charge(jobId, request.requester(), asked);
        } catch (RuntimeException | Error e) {
            log.error("job {}: the quota could not be charged", jobId, e);
            Refusal refusal = Refusal.of(Refusal.Reason.GATEWAY_DOWN,
                    "Something went wrong on our side before anything was charged; please try again in a minute.");
            close(request, start, new JobClosing(jobId, JobStatus.FAILED, null, null, asked, 0, 0, 0, null,
                    "internal-quota-" + e.getClass().getSimpleName(), null, null, clock.instant(), null));
            tell(delivery, refusal, jobId);
            return new JobOutcome(jobId, JobStatus.FAILED, 0, refusal);
        }
        if (decision instanceof QuotaDecision.Denied denied) {
            String why = denied.refusal().reason().name().toLowerCase(java.util.Locale.ROOT);
            close(request, start, new JobClosing(jobId, JobStatus.REFUSED, null, null, asked, 0, 0, 0, null,
                    why, null, null, clock.instant(), null));
            ended(JobStatus.REFUSED, null, start).log("job {}: refused ({})", jobId, why);
            tell(delivery, denied.refusal(), jobId);
            return new JobOutcome(jobId, JobStatus.REFUSED, 0, denied.refusal());
        }
        var grant = (QuotaDecision.Granted) decision;
        Job job = new Job(jobId, request, grant, start);
        try {
            return generate(job, delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return job.fail(delivery, Refusal.Reason.INTERRUPTED, "interrupted",
                    "pictor stopped before your images were ready. Nothing was charged; please ask again.");
        } catch (RuntimeException | Error e) {
            // an Error too (an OutOfMemoryError while decoding a huge answer, say): the job still ends terminal and
            // refunded; the memory it held is unreachable once this frame is left
            log.error("job {}: unexpected failure", jobId, e);
            return job.fail(delivery, Refusal.Reason.GATEWAY_DOWN, "internal-" + e.getClass().getSimpleName(),
                    "Something went wrong on our side. Nothing was charged; please try again.");
        }
    }

    private JobOutcome generate(Job job, Delivery delivery) throws InterruptedException {
        // room for the images first: nothing is asked of (or paid to) a gateway for images there is no memory to hold
        long expected = memory.expectedFor(job.request.count());
        ImageMemory.Reservation now = memory.tryReserve(expected);
        if (now == null) delivery.progress(Delivery.Progress.QUEUED);
        try (ImageMemory.Reservation room = now != null ? now : memory.reserve(expected)) {
            return generate(job, delivery, room);
        }
    }

    private JobOutcome generate(Job job, Delivery delivery, ImageMemory.Reservation room) throws InterruptedException {
        ledger.started(job.id, clock.instant());
        delivery.progress(Delivery.Progress.GENERATING);
        RouteRunner.Answer answer = routes.generate(job.id, job.request, delivery);
        if (answer.refusal() != null) {
            return job.fail(delivery, answer.refusal(), answer.errorClass());
        }
        job.route = answer.route();
        job.spend = answer.result().spend();
        job.seed = answer.result().seed(); // only a seed the answering gateway confirms is shown and recorded
        job.revisedPrompt = answer.result().images().stream().map(GatewayImage::revisedPrompt)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        ledger.answered(job.id, job.route.provider(), job.route.model(), job.spend, job.seed, job.revisedPrompt);

        var images = new ArrayList<Image>();
        String lastProblem = null;
        for (GatewayImage gi : answer.result().images()) {
            if (images.size() == job.request.count()) break;
            try {
                byte[] bytes = gi.bytes() != null ? gi.bytes() : fetcher.fetch(gi.url());
                var image = Image.of(bytes);
                if (image.isPresent()) images.add(image.get());
                else {
                    lastProblem = "not-an-image";
                    log.warn("job {}: dropped an answer that is not a PNG, JPEG, WebP or GIF image", job.id);
                }
            } catch (GatewayException e) {
                lastProblem = "fetch-" + e.errorClass();
                log.warn("job {}: image download failed: {} ({})", job.id, e.errorClass(), e.getMessage());
            }
        }
        room.settle(images.stream().mapToLong(Image::size).sum(), images.size());
        if (images.isEmpty()) {
            boolean noneReturned = answer.result().images().isEmpty();
            return noneReturned
                    ? job.fail(delivery, Refusal.Reason.SAFETY_BLOCKED, "no-images",
                    "The image service returned no pictures: its safety filter probably blocked them all. Nothing was charged; try rephrasing.")
                    : job.fail(delivery, Refusal.Reason.GATEWAY_DOWN, lastProblem,
                    "The image service answered, but its pictures could not be retrieved. Nothing was charged; please try again.");
        }

        Duration took = Duration.between(job.start, clock.instant());
        var generated = new Generated(job.id, job.request, images, job.seed, job.revisedPrompt,
                job.route.provider(), took, job::posted);
        int reported = 0;
        String deliveryError = null;
        boolean stopped = false;
        try {
            reported = delivery.deliver(generated);
        } catch (InterruptedException e) {
            if (job.posted() == 0) throw e;
            stopped = true; // stopping, but what the platform confirmed counts; the flag is set again at the end
            deliveryError = "delivery-interrupted";
        } catch (Exception e) {
            log.warn("job {}: delivery failed: {}", job.id, e.toString());
            deliveryError = "delivery-" + e.getClass().getSimpleName();
        }
        // what the platform confirmed is delivered, even when the upload failed or was stopped half-way
        int delivered = Math.max(0, Math.min(images.size(), Math.max(reported, job.posted())));
        if (delivered == 0) {
            return job.fail(delivery, Refusal.Reason.DELIVERY_FAILED, deliveryError == null ? "delivery-none" : deliveryError,
                    "Your images were made but could not be posted here. Nothing was charged; please try again.");
        }
        try {
            return settle(job, delivery, images, delivered, deliveryError, lastProblem, took);
        } finally {
            if (stopped) Thread.currentThread().interrupt();
        }
    }

    /** Closes a job that delivered {@code delivered} images: refunds the rest, records it, tells what fell short. */
    private JobOutcome settle(Job job, Delivery delivery, List<Image> images, int delivered, String deliveryError,
                              String lastProblem, Duration took) {
        JobStatus status = delivered == job.request.count() ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        int refunded = job.refund(job.request.count() - delivered);
        if (job.refundFailed) return job.leftForRepair(delivery, delivered, "refund-failed");
        String errorClass = status == JobStatus.PARTIAL ? partialReason(lastProblem, delivered < images.size()) : null;
        close(job.request, job.start, new JobClosing(job.id, status, job.route.provider(), job.route.model(), job.request.count(), delivered,
                job.grant.tokens(), refunded, job.spend, deliveryError != null && status == JobStatus.PARTIAL ? deliveryError : errorClass,
                job.seed, job.revisedPrompt, clock.instant(), records(images.subList(0, delivered))));
        ended(status, job.route.provider(), job.start).log("job {}: {} {}/{} images via {} in {} ms", job.id, status.name().toLowerCase(java.util.Locale.ROOT),
                delivered, job.request.count(), job.route, took.toMillis());
        if (deliveryError != null && status == JobStatus.PARTIAL) {
            // the upload broke off after some posts were confirmed: say what arrived and what was not charged
            Refusal shortOf = job.shortOf(delivered);
            tell(delivery, shortOf, job.id);
            return new JobOutcome(job.id, status, delivered, shortOf);
        }
        return new JobOutcome(job.id, status, delivered, null);
    }

    /** Why a job delivered fewer images than asked: an upload that fell short, a dropped image, or a filter. */
    private static String partialReason(String lastProblem, boolean uploadFellShort) {
        if (uploadFellShort) return "delivery-partial";
        return lastProblem != null ? lastProblem : "fewer-images";
    }

    /** The INFO line of a job's end, with its outcome, provider and duration as structured fields. */
    private org.slf4j.spi.LoggingEventBuilder ended(JobStatus status, String provider, Instant start) {
        var line = log.atInfo().addKeyValue("outcome", status.name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("duration_ms", Duration.between(start, clock.instant()).toMillis());
        return provider == null ? line : line.addKeyValue("provider", provider);
    }

    private void close(ImagineRequest request, Instant start, JobClosing closing) {
        try {
            ledger.closed(closing);
        } catch (RuntimeException e) {
            log.error("job {}: could not record its end ({})", closing.id(), closing.status(), e);
        }
        try {
            observer.jobEnded(request, closing, Duration.between(start, closing.finishedAt()));
        } catch (RuntimeException e) {
            log.warn("job {}: observer failed: {}", closing.id(), e.toString());
        }
    }

    private static void tell(Delivery delivery, Refusal refusal, String jobId) {
        try {
            delivery.refused(refusal);
        } catch (RuntimeException e) {
            log.warn("job {}: could not tell the member: {}", jobId, e.toString());
        }
    }

    private static List<JobClosing.ImageRecord> records(List<Image> images) {
        var out = new ArrayList<JobClosing.ImageRecord>();
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            out.add(new JobClosing.ImageRecord(i, sha256(img.bytes()), img.size(), img.format().mimeType(), img.width(), img.height()));
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One running job's state, so that a failure anywhere refunds exactly once and closes exactly once. */
    private final class Job {
        final String id;
        final ImagineRequest request;
        final QuotaDecision.Granted grant;
        final Instant start;
        Route route;
        Double spend;
        Long seed;
        String revisedPrompt;
        private boolean refunded;
        /** Images in messages the platform confirmed, recorded in the ledger as each was confirmed. */
        private final java.util.concurrent.atomic.AtomicInteger posted = new java.util.concurrent.atomic.AtomicInteger();

        Job(String id, ImagineRequest request, QuotaDecision.Granted grant, Instant start) {
            this.id = id;
            this.start = start;
            this.request = request;
            this.grant = grant;
        }

        /** Records posts the adapter reports as confirmed; a ledger that cannot write them does not undo the post. */
        void posted(List<JobPost> posts) {
            int images = posts.stream().mapToInt(JobPost::images).sum();
            posted.addAndGet(images);
            try {
                ledger.posted(id, posts);
            } catch (RuntimeException e) {
                log.error("job {}: {} posted message(s) could not be recorded", id, posts.size(), e);
            }
        }

        int posted() {
            return Math.min(posted.get(), request.count());
        }

        /**
         * Gives {@code images} back, once, retrying a failing quota store a few times. Returns how many were given
         * back; {@link #refundFailed} tells whether the quota could not be reached at all.
         */
        int refund(int images) {
            if (refunded || images <= 0) return 0;
            refunded = true;
            long[] waits = {0, 50, 250, 1000};
            for (int attempt = 0; attempt < waits.length; attempt++) {
                if (waits[attempt] > 0 && !pause(waits[attempt])) break;
                try {
                    quota.refund(id, grant, images);
                    return images;
                } catch (RuntimeException e) {
                    if (attempt == waits.length - 1) log.error("job {}: refund of {} failed", id, images, e);
                    else log.warn("job {}: refund of {} failed, retrying: {}", id, images, e.toString());
                }
            }
            refundFailed = true;
            return 0;
        }

        private boolean refundFailed;

        /** Sleeps between refund attempts; false (flag kept) when the thread is being stopped. */
        private static boolean pause(long millis) {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        JobOutcome fail(Delivery delivery, Refusal.Reason reason, String errorClass, String message) {
            return fail(delivery, Refusal.of(reason, message), errorClass);
        }

        JobOutcome fail(Delivery delivery, Refusal refusal, String errorClass) {
            boolean interrupted = Thread.interrupted(); // refund and record even while stopping
            try {
                if (posted() > 0) return cutShort(delivery, errorClass);
                int back = refund(grant.tokens());
                if (refundFailed) {
                    // Left open on purpose: the ledger's repair closes it and gives the images back later.
                    log.error("job {}: failed ({}) and its {} image(s) could not be given back yet; left open for repair",
                            id, errorClass, grant.tokens());
                    Refusal later = Refusal.of(refusal.reason(), refusal.message().replace(" Nothing was charged;", "")
                            .replace("Nothing was charged; ", "")
                            + " (The images you were charged for will be given back automatically.)");
                    tell(delivery, later, id);
                    return new JobOutcome(id, JobStatus.FAILED, 0, later);
                }
                close(request, start, new JobClosing(id, JobStatus.FAILED, route == null ? null : route.provider(),
                        route == null ? null : route.model(), request.count(), 0, grant.tokens(), back, spend, errorClass,
                        seed, revisedPrompt, clock.instant(), null));
                ended(JobStatus.FAILED, route == null ? null : route.provider(), start).log("job {}: failed ({}) after {} ms, {} refunded", id, errorClass,
                        Duration.between(start, clock.instant()).toMillis(), back);
                tell(delivery, refusal, id);
                return new JobOutcome(id, JobStatus.FAILED, 0, refusal);
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        /**
         * A failure after some images were already posted: those count as delivered, only the rest is given back,
         * and the member is told exactly that (not "nothing was charged").
         */
        private JobOutcome cutShort(Delivery delivery, String errorClass) {
            int delivered = posted();
            int missing = request.count() - delivered;
            int back = refund(missing);
            if (refundFailed) return leftForRepair(delivery, delivered, errorClass);
            JobStatus status = missing == 0 ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
            close(request, start, new JobClosing(id, status, route == null ? null : route.provider(),
                    route == null ? null : route.model(), request.count(), delivered, grant.tokens(), back, spend,
                    errorClass, seed, revisedPrompt, clock.instant(), null));
            ended(status, route == null ? null : route.provider(), start).log("job {}: {} ({}) after {} of {} image(s) were posted, {} refunded", id,
                    status.name().toLowerCase(java.util.Locale.ROOT), errorClass, delivered, request.count(), back);
            if (missing == 0) return new JobOutcome(id, status, delivered, null);
            Refusal shortOf = shortOf(delivered);
            tell(delivery, shortOf, id);
            return new JobOutcome(id, status, delivered, shortOf);
        }

        /** An upload cut short after {@code delivered} images were posted: what arrived, and what was not charged. */
        Refusal shortOf(int delivered) {
            int missing = request.count() - delivered;
            return Refusal.of(Refusal.Reason.DELIVERY_FAILED, "Only " + delivered + " of your " + request.count()
                    + " images could be posted; the other " + missing + (refundFailed ? " will be given back automatically."
                    : missing == 1 ? " was not charged." : " were not charged."));
        }

        /**
         * The quota could not take back the {@code delivered}-short images: the job is left open on purpose, and
         * the ledger's repair (which counts the recorded posts as delivered) closes it and gives back the rest later.
         */
        JobOutcome leftForRepair(Delivery delivery, int delivered, String errorClass) {
            log.error("job {}: {} of {} image(s) delivered ({}), the rest could not be given back yet; left open for repair",
                    id, delivered, request.count(), errorClass);
            Refusal later = shortOf(delivered);
            tell(delivery, later, id);
            return new JobOutcome(id, JobStatus.PARTIAL, delivered, later);
        }
    }
}
