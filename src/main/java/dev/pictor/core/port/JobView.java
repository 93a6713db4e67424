package dev.pictor.core.port;

import dev.pictor.core.Platform;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;

import java.time.Instant;
import java.util.List;

/**
 * A recorded job as buttons need it after a restart (Re-roll, Details, Delete): the request, its state, which
 * provider answered, how many images reached the chat, the seed and rewritten prompt, its times ({@code finishedAt}
 * null while it runs), and the messages it posted as the platform confirmed them.
 */
public record JobView(String id, ImagineRequest request, JobStatus status, String provider, String providerModel,
                      int delivered, Long seed, String revisedPrompt, Instant createdAt, Instant finishedAt,
                      List<JobPost> posts) {
    public JobView {
        posts = posts == null ? List.of() : List.copyOf(posts);
    }

    public JobView(String id, ImagineRequest request, JobStatus status, String provider, String providerModel,
                   int delivered, Long seed, String revisedPrompt, Instant createdAt, Instant finishedAt) {
        this(id, request, status, provider, providerModel, delivered, seed, revisedPrompt, createdAt, finishedAt, List.of());
    }

    /**
     * Whether {@code message} in {@code chat} is one this job posted: the only messages its buttons may act on.
     * Both come from the platform's own event (the message the button sits on), never from the button's data.
     */
    public boolean posted(String chat, String message) {
        return chat != null && message != null && posts.stream().anyMatch(p -> p.is(chat, message));
    }

    /** Whether the member {@code userId} on {@code platform} asked for this job (who may always delete it). */
    public boolean askedBy(Platform platform, String userId) {
        var asker = request.requester();
        return asker.platform().equals(platform) && asker.userId().equals(userId);
    }

    /** The messages this job posted in {@code chat}. */
    public List<String> messagesIn(String chat) {
        return posts.stream().filter(p -> p.chat().equals(chat)).map(JobPost::message).toList();
    }
}
