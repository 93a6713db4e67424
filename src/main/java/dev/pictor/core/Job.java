package dev.pictor.core;

import dev.pictor.core.port.JobClosing;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.PostReceipts;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.text.Msg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One charged job's state, so that a failure anywhere refunds exactly once and closes exactly once: what it was
 * granted, the route that answered, the posts the platform confirmed, and the closing record it ends with. It is the
 * adapter's {@link PostReceipts}: posts are recorded through it, and it answers whether the job may still post
 * ({@link PostGate}).
 */
final class Job implements PostReceipts {
    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    final String id;
    final ImagineRequest request;
    final QuotaDecision.Granted grant;
    final Instant start;
    private final QuotaPort quota;
    private final JobLedger ledger;
    Route route;
    Double spend;
    /** What the answer cost in the configured currency, null when unknown. */
    Double cost;
    Long seed;
    String revisedPrompt;
    private boolean refunded;
    private boolean refundFailed;
    /** Images in messages the platform confirmed, recorded in the ledger as each was confirmed. */
    private final AtomicInteger posted = new AtomicInteger();

    /** Whether this job may still post: another process may have repaired it. */
    private final PostGate gate;

    Job(String id, ImagineRequest request, QuotaDecision.Granted grant, Instant start, QuotaPort quota, JobLedger ledger,
        PostGate gate) {
        this.gate = gate;
        this.id = id;
        this.request = request;
        this.grant = grant;
        this.start = start;
        this.quota = quota;
        this.ledger = ledger;
    }

    /** The provider that answered, null before one did. */
    String provider() {
        return route == null ? null : route.provider();
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

    @Override
    public void confirmed(List<JobPost> posts) {
        posted(posts);
    }

    @Override
    public boolean mayPost() {
        return gate.mayPost();
    }

    /** Whether the job was stopped from posting: another process repaired it, and ends it. */
    boolean fenced() {
        return gate.denied();
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

    boolean refundFailed() {
        return refundFailed;
    }

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

    /** An upload cut short after {@code delivered} images were posted: what arrived, and what was not charged. */
    Refusal shortOf(int delivered) {
        int missing = request.count() - delivered;
        return Refusal.of(Refusal.Reason.DELIVERY_FAILED, Msg.JOB_SHORT_OF, "delivered", delivered,
                "asked", request.count(), "missing", missing, "later", refundFailed);
    }

    /** How this job ended: {@code delivered} of its images (the first {@code images}, when known), {@code refunded} given back. */
    JobClosing closing(JobStatus status, int delivered, int refunded, String errorClass, Instant finishedAt,
                       List<Image> images) {
        return new JobClosing(id, status, provider(), route == null ? null : route.model(), request.count(), delivered,
                grant.tokens(), refunded, spend, cost, errorClass, seed, revisedPrompt, finishedAt,
                images == null ? null : records(images));
    }

    /** How a job ended that was never charged (refused by the quota, or the quota could not be asked). */
    static JobClosing uncharged(String id, JobStatus status, int asked, String errorClass, Instant finishedAt) {
        return new JobClosing(id, status, null, null, asked, 0, 0, 0, null, errorClass, null, null, finishedAt, null);
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
}
