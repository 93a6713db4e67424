package dev.pictor.core.chat;

import dev.pictor.core.Platform;
import dev.pictor.core.port.AdminChats;
import dev.pictor.core.port.CapWarning;
import dev.pictor.core.port.ChatPost;
import dev.pictor.core.port.JobChat;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What pictor tells a community's admins without being asked, and where: today, that the community passed 80 % of
 * its daily spend cap ({@link #capPassed}). They are told in the chat where an admin of that community last ran an
 * admin command that succeeded ({@link #adminCommandDone}, recorded from the platform's event: on Discord the channel
 * of the {@code /pictor} interaction; on Telegram the group, or an admin's private chat with the bot, whichever was
 * last); when none is recorded, on Telegram in the group itself, and on Discord nowhere (the job's channel is the
 * members'; the log line and the metric remain). In the
 * community's language (its admins' choice, else the bot profile's, else English). The adapters only post the text
 * ({@link ChatPost}); a post that fails is logged and never touches the job.
 */
public final class AdminNotices {
    private static final Logger log = LoggerFactory.getLogger(AdminNotices.class);
    /** Records nothing, tells nobody. */
    public static final AdminNotices NONE = new AdminNotices(AdminChats.NONE, LanguageChoice.MEMBERS_OR_ENGLISH, Runnable::run,
            id -> Optional.empty());

    private final AdminChats chats;
    private final LanguageChoice languages;
    private final Executor executor;
    private final Function<String, Optional<JobChat>> jobs;
    private final Map<String, ChatPost> posters = new ConcurrentHashMap<>();

    /**
     * @param executor where the posts are made (off the job's thread)
     * @param jobs     the member and chat of a running job by id ({@link dev.pictor.core.GenerationService#chatOf})
     */
    public AdminNotices(AdminChats chats, LanguageChoice languages, Executor executor, Function<String, Optional<JobChat>> jobs) {
        this.chats = Objects.requireNonNull(chats, "chats");
        this.languages = Objects.requireNonNull(languages, "languages");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    /** The bot of {@code profile} on {@code platform} posts through {@code post} (the composition root says so). */
    public void poster(Platform platform, String profile, ChatPost post) {
        if (this == NONE) return; // shared: it tells nobody, so it keeps no bot
        posters.put(platform.id() + ":" + profile, Objects.requireNonNull(post, "post"));
    }

    /** The scope of a bot's private chats with its admins (Telegram's admins may manage pictor there). */
    static String botScope(Platform platform, String profile) {
        return "bot:" + platform.id() + ":" + profile;
    }

    /**
     * An admin command succeeded: {@code chat} (the event's own chat, answered by {@code profile}) is where the admins
     * of {@code community} (null: a private chat with the bot, where its admins manage every community) manage pictor
     * now. Call it only once the adapter has checked that the sender is an admin and the command was done.
     */
    public void adminCommandDone(Platform platform, String profile, String community, String chat) {
        if (profile == null || chat == null) return;
        String scope = community != null ? platform.id() + ":" + community : botScope(platform, profile);
        try {
            chats.record(scope, profile, chat);
        } catch (RuntimeException e) {
            log.warn("could not record where the admins of {} manage pictor: {}", scope, e.toString());
        }
    }

    /** The sentence of a warning, in {@code locale}. */
    public static String warning(Locale locale, Platform platform, CapWarning w) {
        return Messages.render(locale, Text.of(Msg.SPEND_CAP_WARNING, "platform", platform.id(), "spent", w.spent(),
                "cap", w.cap(), "currency", w.currency(), "wait", w.resetsIn()));
    }

    /** Tells the admins of {@code w.community()} that it passed 80 % of its daily spend cap (see the class). */
    public void capPassed(CapWarning w) {
        try {
            tell(w);
        } catch (RuntimeException e) {
            log.warn("could not tell the admins of {} that it passed 80 % of its spend cap: {}", w.community(), e.toString());
        }
    }

    private void tell(CapWarning w) {
        int colon = w.community().indexOf(':');
        Optional<Platform> platform = colon < 0 ? Optional.empty() : Platform.find(w.community().substring(0, colon));
        if (platform.isEmpty()) {
            log.warn("spend warning of {}: not a community of a chat platform; only logged", w.community());
            return;
        }
        Platform on = platform.get();
        String community = w.community().substring(colon + 1);
        Optional<JobChat> job = jobs.apply(w.jobId());
        String jobProfile = job.map(j -> j.who().botProfile()).orElse(null);
        Optional<AdminChats.Place> recorded = Stream.of(chats.find(w.community()),
                        jobProfile == null ? Optional.<AdminChats.Place>empty() : chats.find(botScope(on, jobProfile)))
                .flatMap(Optional::stream).max(Comparator.comparing(AdminChats.Place::at));
        String profile;
        String chat;
        if (recorded.isPresent()) {
            profile = recorded.get().profile();
            chat = recorded.get().chat();
        } else {
            profile = jobProfile;
            // no admin command yet. On Telegram the community is the group, where its admins manage it; a Discord
            // job's channel is the members', and a server's spend is not theirs to read: only logged there
            chat = on == Platform.TELEGRAM ? job.map(JobChat::chat).orElse(community) : null;
        }
        if (profile == null || chat == null) {
            log.warn("spend warning of {}: no chat to tell its admins in; only logged", w.community());
            return;
        }
        ChatPost post = posters.get(on.id() + ":" + profile);
        if (post == null) {
            log.warn("spend warning of {}: bot {} is not running here; only logged", w.community(), profile);
            return;
        }
        String text = warning(languages.communityDefault(on, community, profile), on, w);
        String where = chat;
        try {
            executor.execute(() -> {
                try {
                    post.post(where, text);
                    log.info("spend warning of {} posted in chat {} by bot {}", w.community(), where, profile);
                } catch (RuntimeException e) {
                    log.warn("spend warning of {}: could not post in chat {}: {}", w.community(), where, e.toString());
                }
            });
        } catch (RuntimeException e) { // the executor is stopping
            log.warn("spend warning of {}: not posted: {}", w.community(), e.toString());
        }
    }
}
