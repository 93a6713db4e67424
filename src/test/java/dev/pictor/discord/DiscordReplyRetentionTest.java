package dev.pictor.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.interactions.InteractionHook;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        return (InteractionHook) stub(InteractionHook.class, Map.of());
    }

    /**
     * A stand-in of a JDA interface: a method named in {@code answers} gives that, other interfaces stand-ins,
     * strings "1", primitives their zero, the rest null; {@code calls} hears every method called on stand-ins.
     */
    private static Object stub(Class<?> type, Map<String, Object> answers) {
        return Proxy.newProxyInstance(DiscordReplyRetentionTest.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    CALLS.add(method.getName() + (args == null ? "" : java.util.Arrays.toString(args)));
                    if (answers.containsKey(method.getName())) return answers.get(method.getName());
                    Class<?> r = method.getReturnType();
                    return switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> type.getSimpleName();
                        default -> r == String.class ? "1" : r == long.class ? 0L : r == int.class ? 0 : r == boolean.class
                                ? false : r.isInterface() ? stub(r, Map.of()) : null;
                    };
                });
    }

    private static final List<String> CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A hook of an interaction by user 42 in channel 7, whose token expires at {@code expiresAt} (epoch ms). */
    private static InteractionHook hookOf(Object interaction, long expiresAt) {
        return (InteractionHook) stub(InteractionHook.class, Map.of("getInteraction", interaction,
                "getJDA", stub(JDA.class, Map.of()), "getExpirationTimestamp", expiresAt));
    }

    private static Object interaction() {
        return stub(Interaction.class, Map.of("getUser", stub(User.class, Map.of("getIdLong", 42L)),
                "getChannelId", "7", "getToken", "the-token"));
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
        var reply = new Reply(hook(), Reply.Kind.PUBLIC, ack, () -> Locale.ENGLISH);
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
        var reply = new Reply(hook(), Reply.Kind.PUBLIC, ack, () -> Locale.ENGLISH);
        ack.completeExceptionally(new IllegalStateException("Unknown interaction"));
        assertThat(reply.acknowledged()).isFalse();
    }

    @Test
    void a_reply_a_job_is_started_for_keeps_of_the_interaction_only_its_token_and_ids() throws Exception {
        // given an acknowledged reply on JDA's hook, which holds the whole interaction
        Object interaction = interaction();
        var reply = new Reply(hookOf(interaction, System.currentTimeMillis() + 60_000), Reply.Kind.PUBLIC, () -> Locale.ENGLISH);
        var interactionRef = new WeakReference<>(interaction);
        interaction = null;
        // when the job is started for it
        reply.detach();
        // then the interaction can be collected while the reply lives, and the reply still knows where and until when
        assertThat(collected(interactionRef)).as("the interaction is collectable while the reply lives").isTrue();
        assertThat(reply.channelId()).isEqualTo("7");
        assertThat(reply.expired()).isFalse();
        Reference.reachabilityFence(reply);
    }

    @Test
    void a_detached_reply_whose_token_expired_tells_the_member_by_direct_message() {
        // given a detached reply whose token ran out
        var reply = new Reply(hookOf(interaction(), System.currentTimeMillis() - 1), Reply.Kind.PUBLIC, () -> Locale.ENGLISH);
        reply.detach();
        CALLS.clear();
        // when the member is told something
        reply.tell("nothing was charged");
        // then it goes by DM to the same user, not as an edit of the answer
        assertThat(reply.expired()).isTrue();
        assertThat(CALLS).contains("openPrivateChannelById[42]").doesNotContain("editOriginal", "deleteOriginal");
    }
}
