package dev.pictor.core;

import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobObserver;
import dev.pictor.core.text.Msg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How a job ends: it is refunded what was not delivered, its closing record goes to the ledger and the observer,
 * its end is logged, and its member is told what fell short. A job the quota could not refund is left open on
 * purpose for the ledger's repair.
 */
final class JobEndings {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    private final JobLedger ledger;
    private final JobObserver observer;
    private final Clock clock;

    JobEndings(JobLedger ledger, JobObserver observer, Clock clock) {
        this.ledger = ledger;
        this.observer = observer;
        this.clock = clock;
    }

    /** A job that ends before it was charged: recorded, observed, and its member told {@code refusal}. */
    JobOutcome uncharged(ImagineRequest request, Instant start, String jobId, Delivery delivery, JobStatus status,
                         String errorClass, Refusal refusal) {
        close(request, start, Job.uncharged(jobId, status, request.count(), errorClass, clock.instant()));
        if (status == JobStatus.REFUSED) ended(status, null, start).log("job {}: refused ({})", jobId, errorClass);
        tell(delivery, refusal, jobId);
        return new JobOutcome(jobId, status, 0, refusal);
    }

    /** A job that failed for {@code reason}, its member told {@code msg}, whose {@code charge} is nothing charged. */
    JobOutcome fail(Job job, Delivery delivery, Refusal.Reason reason, String errorClass, Msg msg, Object... namesAndValues) {
        var args = new Object[namesAndValues.length + 2];
        System.arraycopy(namesAndValues, 0, args, 0, namesAndValues.length);
        args[namesAndValues.length] = Refusal.CHARGE;
        args[namesAndValues.length + 1] = Refusal.NOTHING_CHARGED;
        return fail(job, delivery, Refusal.of(reason, msg, args), errorClass);
    }

    /**
     * A job stopped from posting (more) because another process repaired it, or may have ({@link PostGate}): that
     * process closes it, refunds what was not delivered and tells the member, so this one records nothing, refunds
     * nothing and tells nobody. Returns it as failed with what it posted before.
     */
    JobOutcome fenced(Job job, Delivery delivery) {
        try {
            delivery.abandoned();
        } catch (RuntimeException e) {
            log.warn("job {}: the adapter failed on its abandonment: {}", job.id, e.toString());
        }
        try {
            observer.jobFenced(job.request);
        } catch (RuntimeException e) {
            log.warn("job {}: observer failed: {}", job.id, e.toString());
        }
        return new JobOutcome(job.id, JobStatus.FAILED, job.posted(), null);
    }

    /** A job that failed: refunded in full (or only what was not posted), closed as failed, its member told. */
    JobOutcome fail(Job job, Delivery delivery, Refusal refusal, String errorClass) {
        if (job.fenced()) return fenced(job, delivery); // another process ends it
        boolean interrupted = Thread.interrupted(); // refund and record even while stopping
        try {
            if (job.posted() > 0) return cutShort(job, delivery, errorClass);
            int back = job.refund(job.grant.tokens());
            if (job.refundFailed()) {
                // Left open on purpose: the ledger's repair closes it and gives the images back later.
                log.error("job {}: failed ({}) and its {} image(s) could not be given back yet; left open for repair",
                        job.id, errorClass, job.grant.tokens());
                Refusal later = refusal.givenBackLater();
                tell(delivery, later, job.id);
                return new JobOutcome(job.id, JobStatus.FAILED, 0, later);
            }
            close(job.request, job.start, job.closing(JobStatus.FAILED, 0, back, errorClass, clock.instant(), null));
            ended(JobStatus.FAILED, job.provider(), job.start).log("job {}: failed ({}) after {} ms, {} refunded",
                    job.id, errorClass, Duration.between(job.start, clock.instant()).toMillis(), back);
            tell(delivery, refusal, job.id);
            return new JobOutcome(job.id, JobStatus.FAILED, 0, refusal);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * A charged job refused before any provider was called (a daily spend cap): its quota is given back in full, it
     * is closed as refused and its member told {@code refusal}.
     */
    JobOutcome refuse(Job job, Delivery delivery, Refusal refusal, String errorClass) {
        int back = job.refund(job.grant.tokens());
        if (job.refundFailed()) {
            log.error("job {}: refused ({}) and its {} image(s) could not be given back yet; left open for repair",
                    job.id, errorClass, job.grant.tokens());
            Refusal later = refusal.givenBackLater();
            tell(delivery, later, job.id);
            return new JobOutcome(job.id, JobStatus.REFUSED, 0, later);
        }
        close(job.request, job.start, job.closing(JobStatus.REFUSED, 0, back, errorClass, clock.instant(), null));
        ended(JobStatus.REFUSED, null, job.start).log("job {}: refused ({}), {} refunded", job.id, errorClass, back);
        tell(delivery, refusal, job.id);
        return new JobOutcome(job.id, JobStatus.REFUSED, 0, refusal);
    }

    /**
     * A failure after some images were already posted: those count as delivered, only the rest is given back,
     * and the member is told exactly that (not "nothing was charged").
     */
    private JobOutcome cutShort(Job job, Delivery delivery, String errorClass) {
        int delivered = job.posted();
        int missing = job.request.count() - delivered;
        int back = job.refund(missing);
        if (job.refundFailed()) return leftForRepair(job, delivery, delivered, errorClass);
        JobStatus status = missing == 0 ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        close(job.request, job.start, job.closing(status, delivered, back, errorClass, clock.instant(), null));
        ended(status, job.provider(), job.start).log("job {}: {} ({}) after {} of {} image(s) were posted, {} refunded",
                job.id, lower(status), errorClass, delivered, job.request.count(), back);
        if (missing == 0) return new JobOutcome(job.id, status, delivered, null);
        Refusal shortOf = job.shortOf(delivered);
        tell(delivery, shortOf, job.id);
        return new JobOutcome(job.id, status, delivered, shortOf);
    }

    /** Closes a job that delivered {@code delivered} images: refunds the rest, records it, tells what fell short. */
    JobOutcome delivered(Job job, Delivery delivery, List<Image> images, int delivered, String deliveryError,
                         String lastProblem, Duration took) {
        JobStatus status = delivered == job.request.count() ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        int refunded = job.refund(job.request.count() - delivered);
        if (job.refundFailed()) return leftForRepair(job, delivery, delivered, "refund-failed");
        String errorClass = status == JobStatus.PARTIAL ? partialReason(lastProblem, delivered < images.size()) : null;
        boolean brokeOff = deliveryError != null && status == JobStatus.PARTIAL;
        close(job.request, job.start, job.closing(status, delivered, refunded, brokeOff ? deliveryError : errorClass,
                clock.instant(), images.subList(0, delivered)));
        ended(status, job.provider(), job.start).log("job {}: {} {}/{} images via {} in {} ms", job.id, lower(status),
                delivered, job.request.count(), job.route, took.toMillis());
        if (brokeOff) {
            // the upload broke off after some posts were confirmed: say what arrived and what was not charged
            Refusal shortOf = job.shortOf(delivered);
            tell(delivery, shortOf, job.id);
            return new JobOutcome(job.id, status, delivered, shortOf);
        }
        return new JobOutcome(job.id, status, delivered, null);
    }

    /**
     * The quota could not take back the {@code delivered}-short images: the job is left open on purpose, and
     * the ledger's repair (which counts the recorded posts as delivered) closes it and gives back the rest later.
     */
    private JobOutcome leftForRepair(Job job, Delivery delivery, int delivered, String errorClass) {
        log.error("job {}: {} of {} image(s) delivered ({}), the rest could not be given back yet; left open for repair",
                job.id, delivered, job.request.count(), errorClass);
        Refusal later = job.shortOf(delivered);
        tell(delivery, later, job.id);
        return new JobOutcome(job.id, JobStatus.PARTIAL, delivered, later);
    }

    /** Why a job delivered fewer images than asked: an upload that fell short, a dropped image, or a filter. */
    private static String partialReason(String lastProblem, boolean uploadFellShort) {
        if (uploadFellShort) return "delivery-partial";
        return lastProblem != null ? lastProblem : "fewer-images";
    }

    /** The INFO line of a job's end, with its outcome, provider and duration as structured fields. */
    private LoggingEventBuilder ended(JobStatus status, String provider, Instant start) {
        var line = log.atInfo().addKeyValue("outcome", lower(status))
                .addKeyValue("duration_ms", Duration.between(start, clock.instant()).toMillis());
        return provider == null ? line : line.addKeyValue("provider", provider);
    }

    private static String lower(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
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

    /** Tells the member {@code refusal}; an adapter that cannot is logged, never thrown at the job. */
    static void tell(Delivery delivery, Refusal refusal, String jobId) {
        try {
            delivery.refused(refusal);
        } catch (RuntimeException e) {
            log.warn("job {}: could not tell the member: {}", jobId, e.toString());
        }
    }
}
