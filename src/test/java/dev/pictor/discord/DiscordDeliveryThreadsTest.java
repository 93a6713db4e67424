package dev.pictor.discord;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import dev.pictor.core.port.Delivery;
import net.dv8tion.jda.api.interactions.InteractionHook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread talks to JDA for a job's progress. JDA writes a request's JSON on the thread that queues it, with
 * buffers Jackson keeps per thread (about 16 KB, kept as long as the thread lives): a job's own virtual thread that
 * queued its "Queued" edit would carry them while it waits for a provider slot (issue #15, live heap per waiting
 * job). So progress edits are queued by the bot's timer thread, never by the job's.
 */
class DiscordDeliveryThreadsTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-timer"));
    private final List<String> queuedBy = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** An InteractionHook whose every action records the thread that queues it. */
    private Object recording(Class<?> type) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().equals("queue")) {
                queuedBy.add(Thread.currentThread().getName());
                return null;
            }
            if (method.getName().equals("isExpired")) return false;
            if (method.getReturnType().isInstance(proxy)) return proxy; // a generic "this" (setAllowedMentions and the like)
            if (method.getReturnType().isInterface()) return recording(method.getReturnType());
            if (method.getReturnType() == boolean.class) return false;
            return null;
        });
    }

    private DiscordDelivery delivery() {
        var hook = (InteractionHook) recording(InteractionHook.class);
        var reply = new Reply(hook, Reply.Kind.PUBLIC, () -> Locale.ENGLISH);
        var model = new ModelSpec("imagen-4", "Imagen 4", new ModelCapabilities(List.of("1:1"), 4, true, 400, true),
                List.of(new Route("aimlapi", "imagen-4.0")));
        var request = new ImagineRequest(Requester.of(Platform.DISCORD, "42"), "a fox", model, "1:1", 1, null, false);
        return new DiscordDelivery(reply, request, 10_000_000, new UploadFitter(), timer);
    }

    private void settle() throws Exception {
        timer.submit(() -> { }).get(5, TimeUnit.SECONDS); // everything the timer had before it has run
    }

    @Test
    void a_job_waiting_for_a_provider_slot_has_its_queued_edit_sent_by_the_timer_not_by_its_own_thread() throws Exception {
        // given a job's delivery, on the job's own (virtual) thread
        var delivery = delivery();
        Thread job = Thread.ofVirtual().name("job-1").start(() -> delivery.progress(Delivery.Progress.QUEUED));
        job.join();
        settle();
        // then the "Queued" edit was queued to JDA once, by the timer
        assertThat(queuedBy).containsExactly("test-timer");
    }

    @Test
    void a_queued_edit_the_timer_has_not_sent_yet_is_never_sent_after_the_job_ended() throws Exception {
        // given a timer busy with something else while the job says "queued" and then ends (refused here)
        var delivery = delivery();
        var busy = new java.util.concurrent.CountDownLatch(1);
        timer.execute(() -> {
            try {
                busy.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        delivery.progress(Delivery.Progress.QUEUED);
        delivery.refused(dev.pictor.core.Refusal.of(dev.pictor.core.Refusal.Reason.PROVIDER_DOWN, dev.pictor.core.text.Msg.JOB_QUOTA_ERROR));
        busy.countDown();
        settle();
        // then only the refusal reached JDA: a late "Queued" would have replaced the answer the member already has
        assertThat(queuedBy).containsExactly(Thread.currentThread().getName());
    }
}
