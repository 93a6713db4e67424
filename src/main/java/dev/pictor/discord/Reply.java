package dev.pictor.discord;

import dev.pictor.core.Refusal;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Text;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The answer to one acknowledged interaction, and how to tell the member something in it. Knows how the interaction
 * was acknowledged, because that decides how a refusal reaches the member privately:
 * <ul>
 *   <li>{@link Kind#PUBLIC}: deferred with a visible "thinking…" message. A refusal deletes that message and sends
 *   an ephemeral followup (a followup sent while the deferred message is still loading would replace it and stay
 *   public, so the delete comes first).</li>
 *   <li>{@link Kind#EPHEMERAL}: deferred privately; everything edits that private message.</li>
 *   <li>{@link Kind#UPDATE}: a button acknowledged without a new message; refusals are ephemeral followups.</li>
 * </ul>
 */
final class Reply {
    private static final Logger log = LoggerFactory.getLogger(Reply.class);
    static final Set<Message.MentionType> NO_PINGS = EnumSet.noneOf(Message.MentionType.class);

    enum Kind { PUBLIC, EPHEMERAL, UPDATE }

    private static final long ACK_WAIT_SECONDS = 10;

    private volatile InteractionHook hook;
    /** Once {@link #detach()}ed: what was kept of the interaction (its hook is then one made from its token). */
    private volatile Detached detached;
    private final Kind kind;
    private final CompletableFuture<?> acknowledged;
    private final long arrivedNanos = System.nanoTime();
    /** Reads the member's language, until {@link #locale()} has read it (then null: it may hold the whole event). */
    private Supplier<Locale> language;
    private volatile Locale locale;

    /** @param language reads the member's language ({@link Members#locale}), on first use */
    Reply(InteractionHook hook, Kind kind, Supplier<Locale> language) {
        this(hook, kind, CompletableFuture.completedFuture(null), language);
    }

    /**
     * @param acknowledged the acknowledgement in flight ({@code deferReply().submit()}). Only its outcome is kept: JDA's
     *                     future holds its whole request (the reply action, its 2,000-character message builder, the
     *                     body, the route and the stack trace JDA records for errors, ~3 KB), which a job waiting
     *                     for a provider slot would otherwise carry until it ends (issue #15)
     * @param language     reads the member's language ({@link Members#locale}) on first use, not here: that may read
     *                     the storage (a community's chosen language), which must not hold up the acknowledgement on
     *                     JDA's thread
     */
    Reply(InteractionHook hook, Kind kind, CompletableFuture<?> acknowledged, Supplier<Locale> language) {
        this.hook = hook;
        this.kind = kind;
        this.acknowledged = acknowledged.thenApply(answer -> null);
        this.language = language;
    }

    /**
     * Whether Discord took the acknowledgement (waits for it; it is normally long done). When it did not (the
     * interaction expired or is unknown), nothing can reach the member any more, so no job should be started.
     */
    boolean acknowledged() {
        try {
            acknowledged.get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            Detached d = detached; // a hook made from the token has no interaction to name
            log.warn("interaction {} was not acknowledged ({}); nothing started for it", d == null ? hook.getInteraction().getId() : "(detached)",
                    why instanceof ErrorResponseException r ? "Discord error " + r.getErrorCode() : why.getClass().getSimpleName());
            return false;
        }
    }

    /** When the interaction reached the bot ({@link System#nanoTime()}, taken as this reply was made). */
    long arrivedNanos() {
        return arrivedNanos;
    }

    InteractionHook hook() {
        return hook;
    }

    /** What a detached reply keeps of its interaction: when its token expires, who asked, and where. */
    private record Detached(long expiresAtMillis, long userId, String channelId) {
    }

    /**
     * Once acknowledged, before a job is started for it: keeps of the interaction only what the answer needs (its
     * token, when that expires, the member's and the channel's ids), and answers through a hook made from the token
     * ({@link InteractionHook#from}). JDA's own hook holds the whole interaction (the member and the user, twice,
     * the payload with its options and resolved entities, ~1.5 KB), which a job waiting for a provider slot would
     * otherwise carry until it ends (issue #15). Everything the reply does stays the same: the expiry is checked
     * here as JDA's hook checked it, a direct message goes to the same user, and the hook from the token edits the
     * same original response and sends the same followups.
     */
    void detach() {
        InteractionHook full = hook;
        if (detached != null) return;
        var interaction = full.getInteraction();
        var kept = new Detached(full.getExpirationTimestamp(), interaction.getUser().getIdLong(), interaction.getChannelId());
        InteractionHook light = InteractionHook.from(full.getJDA(), interaction.getToken());
        detached = kept;
        hook = light;
    }

    /** Whether the interaction's token has expired (15 minutes after the command): nothing can be edited any more. */
    boolean expired() {
        Detached d = detached;
        return d == null ? hook.isExpired() : System.currentTimeMillis() > d.expiresAtMillis();
    }

    /** The channel the interaction came from. */
    String channelId() {
        Detached d = detached;
        return d == null ? hook.getInteraction().getChannelId() : d.channelId();
    }

    Kind kind() {
        return kind;
    }

    /**
     * The member's language, in which everything in this reply is written ({@link Members#locale}): read on the first
     * call, on the caller's thread, then kept.
     */
    Locale locale() {
        Locale l = locale;
        if (l != null) return l;
        synchronized (this) {
            if (locale == null) {
                locale = language.get();
                language = null;
            }
            return locale;
        }
    }

    /** {@link #show(String)} of a catalog text, in the member's language. */
    void show(Text text) {
        show(Messages.render(locale(), text));
    }

    /** {@link #tell(String)} of a catalog text, in the member's language. */
    void tell(Text text) {
        tell(Messages.render(locale(), text));
    }

    /** {@link #tell(String)} of a refusal, in the member's language. */
    void tell(Refusal refusal) {
        tell(refusal.message(locale()));
    }

    /** Replaces the text of the (deferred) answer, e.g. "generating…"; failures are only logged. */
    void show(String text) {
        if (kind == Kind.UPDATE) {
            tell(text);
            return;
        }
        // JDA's own hook refuses to edit an expired answer (InteractionExpiredException); a hook from the token does not
        if (detached != null && expired()) return;
        hook.editOriginal(DiscordText.fit(text)).setAllowedMentions(NO_PINGS)
                .queue(null, e -> log.warn("could not update the reply: {}", e.toString()));
    }

    /**
     * Withdraws the deferred answer while it says only that pictor is working on it (a job another process has taken
     * over, which tells the member itself); a button's answer ({@link Kind#UPDATE}) is the member's message, left as
     * it is. Failures are only logged.
     */
    void withdraw() {
        if (kind == Kind.UPDATE || expired()) return;
        hook.deleteOriginal().queue(null, e -> log.warn("could not withdraw the reply: {}", e.toString()));
    }

    /**
     * Tells the member, and only them, why nothing (more) will come. Once the interaction's token has run out (15
     * minutes after the command), the answer can no longer be edited: the member is told by direct message instead.
     */
    void tell(String text) {
        String body = DiscordText.fit(text);
        if (expired()) {
            Detached d = detached;
            (d == null ? hook.getInteraction().getUser().openPrivateChannel() : hook.getJDA().openPrivateChannelById(d.userId()))
                    .flatMap(dm -> dm.sendMessage(body).setAllowedMentions(NO_PINGS))
                    .queue(null, e -> log.warn("could not tell the member by DM either: {}", e.toString()));
            return;
        }
        switch (kind) {
            case EPHEMERAL -> hook.editOriginal(body).setAllowedMentions(NO_PINGS)
                    .queue(null, e -> log.warn("could not tell the member: {}", e.toString()));
            case UPDATE -> hook.sendMessage(body).setEphemeral(true).setAllowedMentions(NO_PINGS)
                    .queue(null, e -> log.warn("could not tell the member: {}", e.toString()));
            case PUBLIC -> hook.deleteOriginal()
                    .onErrorMap(e -> null) // already gone: the followup still reaches the member
                    .flatMap(ignored -> hook.sendMessage(body).setEphemeral(true).setAllowedMentions(NO_PINGS))
                    .queue(null, e -> log.warn("could not tell the member: {}", e.toString()));
        }
    }
}
