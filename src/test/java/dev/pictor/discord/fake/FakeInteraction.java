package dev.pictor.discord.fake;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One interaction the fake Discord sent to the bot, and what the bot did with it. */
public final class FakeInteraction {
    /** How the bot acknowledged: callback type (4 reply, 5 deferred reply, 6 deferred update, 7 update) and flags. */
    public record Ack(int type, int flags, long nanosAfterDispatch) {
        public boolean ephemeral() {
            return (flags & FakeMessage.EPHEMERAL) != 0;
        }

        public Duration latency() {
            return Duration.ofNanos(nanosAfterDispatch);
        }
    }

    final long id;
    final String token;
    final int type;
    final FakeDiscord.User user;
    final Long guildId;
    final long channelId;
    final long attachmentLimit;
    final FakeMessage clicked;
    volatile long dispatchedNanos;
    volatile Ack ack;
    volatile FakeMessage original;
    final List<FakeMessage> followups = new CopyOnWriteArrayList<>();
    private final FakeDiscord discord;

    FakeInteraction(FakeDiscord discord, long id, String token, int type, FakeDiscord.User user, Long guildId,
                    long channelId, long attachmentLimit, FakeMessage clicked) {
        this.discord = discord;
        this.id = id;
        this.token = token;
        this.type = type;
        this.user = user;
        this.guildId = guildId;
        this.channelId = channelId;
        this.attachmentLimit = attachmentLimit;
        this.clicked = clicked;
    }

    public long id() {
        return id;
    }

    public Ack ack() {
        return ack;
    }

    /** When the fake sent it to the bot ({@link System#nanoTime()}), 0 before. */
    public long dispatchedNanos() {
        return dispatchedNanos;
    }

    public FakeMessage original() {
        return original;
    }

    public List<FakeMessage> followups() {
        return List.copyOf(followups);
    }

    public Ack awaitAck() {
        return discord.await(() -> ack, "the acknowledgement of interaction " + id);
    }

    /** The public result: the original reply once it carries files. */
    public FakeMessage awaitImages() {
        return discord.await(() -> {
            FakeMessage o = original;
            return o != null && !o.deleted && !o.attachments.isEmpty() ? o : null;
        }, () -> "images in the reply to interaction " + id + " (now: " + original + ", followups " + followups + ")");
    }

    /**
     * What only the member sees: an ephemeral followup, or the edited ephemeral reply. Fails if the answer is a
     * public message.
     */
    public FakeMessage awaitPrivateAnswer() {
        return discord.await(() -> {
            for (FakeMessage f : followups) if (f.ephemeral() && !f.deleted && !f.content.isEmpty()) return f;
            FakeMessage o = original;
            if (o != null && o.ephemeral() && !o.loading() && !o.deleted && !o.content.isEmpty()) return o;
            return null;
        }, () -> "a private answer to interaction " + id + " (now: original " + original + ", followups " + followups + ")");
    }

    /** Waits until the original reply has been deleted. */
    public void awaitOriginalDeleted() {
        discord.await(() -> original != null && original.deleted ? Boolean.TRUE : null,
                () -> "the deletion of the reply to interaction " + id + " (now " + original + ")");
    }

    /** Waits until the original's content satisfies the predicate. */
    public FakeMessage awaitOriginal(java.util.function.Predicate<FakeMessage> p, String what) {
        return discord.await(() -> {
            FakeMessage o = original;
            return o != null && p.test(o) ? o : null;
        }, () -> what + " (now " + original + ")");
    }
}
