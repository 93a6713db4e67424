package dev.pictor.discord;

import net.dv8tion.jda.api.interactions.InteractionHook;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a job's reply keeps while the job waits (issue #15, live heap per waiting job). The future of the
 * acknowledgement ({@code deferReply().submit()}) is JDA's: it holds the whole request, with the reply action and its
 * message builder (a 2,000-character buffer), the body, the route and the stack JDA records for its errors, ~3 KB a
 * job. The reply needs only its outcome.
 */
class DiscordReplyRetentionTest {
    private static InteractionHook hook() {
        return (InteractionHook) stub(InteractionHook.class);
    }

    /** A stand-in of a JDA interface: interfaces answer stand-ins, strings "1", the rest null. */
    private static Object stub(Class<?> type) {
        return Proxy.newProxyInstance(DiscordReplyRetentionTest.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType() == String.class ? "1"
                            : method.getReturnType().isInterface() ? stub(method.getReturnType()) : null;
                });
    }

    /** Whether the object behind {@code ref} was collected (a few full collections asked for). */
    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get() == null;
    }

    @Test
    void a_reply_does_not_keep_the_acknowledgements_future_once_it_is_answered() throws Exception {
        // given a reply made with the acknowledgement in flight, which Discord then takes
        var ack = new CompletableFuture<Object>();
        var reply = new Reply(hook(), Reply.Kind.PUBLIC, ack, Locale.ENGLISH);
        ack.complete(new byte[2000]); // JDA's answer; its future holds the request too
        var ackRef = new WeakReference<>(ack);
        ack = null;
        // then the reply knows it was acknowledged, and JDA's future (with its request) can be collected
        assertThat(reply.acknowledged()).isTrue();
        assertThat(collected(ackRef)).as("the acknowledgement's future is collectable while the reply lives").isTrue();
        Reference.reachabilityFence(reply);
    }

    @Test
    void an_acknowledgement_discord_refused_still_counts_as_not_acknowledged() {
        var ack = new CompletableFuture<Object>();
        var reply = new Reply(hook(), Reply.Kind.PUBLIC, ack, Locale.ENGLISH);
        ack.completeExceptionally(new IllegalStateException("Unknown interaction"));
        assertThat(reply.acknowledged()).isFalse();
    }
}
