package dev.pictor.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.core.QuotaText;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.ChatServices;
import dev.pictor.core.chat.ChatText;
import dev.pictor.core.chat.RestartNotice;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.UpdateInbox;
import dev.pictor.ops.Secrets;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Telegram bot on long polling: the polling thread ({@link LongPoller}) records each batch in the
 * {@link UpdateInbox} before confirming it to Telegram, and hands the new updates to per-chat lanes (in order within a
 * chat, chats side by side), where commands and button presses become core calls. An update is marked done once its
 * handler has taken it (the answer sent, or the job in the ledger); at start the updates recorded but not done (a
 * stop or a kill cut them off) run again, and a redelivered update is not run twice. Serves {@code /imagine} (also
 * as {@code /imagine@bot} and as a reply to the bot), {@code /quota}, {@code /help} and {@code /start}.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private static final List<String> UPDATE_TYPES = List.of("message", "callback_query");
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** Done updates are kept this long (Telegram keeps an unconfirmed update for 24 hours), then deleted. */
    static final Duration KEEP_DONE = Duration.ofDays(1);
    static final String TOO_FAST = "You are sending faster than I can answer: I did not take the messages you sent "
            + "while " + ChatLanes.MAX_PER_CHAT + " were still waiting here. Please send those again once I have answered the others.";

    private final TelegramBotSettings settings;
    private final ChatServices core;
    private final Chat chat;
    private final OkHttpClient pollHttp;
    private final TelegramApi api;
    private final Outbox out;
    private final ObjectMapper json = new ObjectMapper();
    private final ChatLanes lanes;
    private long lastHousekeeping = System.nanoTime();
    private long lastPrune = System.nanoTime() - PRUNE_EVERY.toNanos();

    private volatile LongPoller polling;
    private User me;
    private ImagineCommand imagine;
    private ButtonPresses buttons;
    private AdminCommands admin;

    /**
     * @param core what the bot uses of the core; its {@code inbox} (required) is where it records the updates it
     *             received; its {@code admin} null leaves the admin commands out
     * @param http the service's shared HTTP client; the bot derives its own timeouts from it (long polls hold 50 s),
     *             and never lets OkHttp repeat a request after a connection failure, whatever {@code http} says
     */
    public TelegramBot(TelegramBotSettings settings, ChatServices core, OkHttpClient http) {
        this(settings, core, http, Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("telegram-update-", 0).factory()));
    }

    /** {@code handlers} runs the updates' handlers (tests pass one that holds them, as if the process were killed). */
    TelegramBot(TelegramBotSettings settings, ChatServices core, OkHttpClient http, ExecutorService handlers) {
        this.settings = settings;
        this.core = core;
        this.chat = core.chat();
        Secrets.register(settings.token());
        var url = new TelegramUrl(settings.apiUrl().getScheme(), settings.apiUrl().getHost(), port(settings), false);
        // Never re-sent by OkHttp after a lost connection: Telegram may have acted (see TelegramApi).
        this.pollHttp = http.newBuilder().readTimeout(settings.pollTimeout().plusSeconds(25)).retryOnConnectionFailure(false).build();
        OkHttpClient sendHttp = http.newBuilder().readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false).build();
        var client = new OkHttpTelegramClient(new ObjectMapper(), sendHttp, settings.token(), url);
        this.api = new TelegramApi(client, settings.token(), settings.limits(), d -> Thread.sleep(d));
        this.out = new Outbox(api);
        this.lanes = new ChatLanes(handlers, ChatLanes.MAX_PER_CHAT, this::tooFast);
    }

    /**
     * Checks the token ({@code getMe}), registers the commands, runs the updates a stopped process had recorded but
     * not handled, and starts polling.
     *
     * @throws IllegalStateException when Telegram refuses the token or cannot be reached; the message names the
     *                               profile, never the token
     */
    public synchronized void start() {
        if (polling != null) throw new IllegalStateException("Telegram bot " + settings.name() + " is already running");
        try {
            me = api.request(null, "getMe", c -> c.executeAsync(new GetMe()));
        } catch (SendException e) {
            throw new IllegalStateException("Telegram bot " + settings.name() + ": " + (e.notBotApi()
                    ? "the server at " + settings.apiUrl() + " does not answer as the Telegram Bot API (" + e.getMessage()
                    + "); check the profile's api-url (Telegram's is " + dev.pictor.config.BotProfile.TELEGRAM_API_URL + ")"
                    : e.status() == 401 || e.status() == 404
                    ? "Telegram refused the token; check TELEGRAM_TOKEN (or the profile's token)"
                    : "could not reach the Bot API at " + settings.apiUrl() + " (" + e.getMessage() + "); check the profile's api-url"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Telegram bot " + settings.name(), e);
        }
        imagine = new ImagineCommand(chat, out);
        buttons = new ButtonPresses(chat, imagine, out, settings);
        admin = core.admin() == null ? null : new AdminCommands(core.admin(), out, settings);
        registerCommands();
        try {
            api.request(null, "deleteWebhook", c -> c.executeAsync(new DeleteWebhook()));
        } catch (SendException e) {
            close();
            throw new IllegalStateException("Telegram bot " + settings.name() + ": long polling did not start ("
                    + api.scrub(String.valueOf(e.getMessage())) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Telegram bot " + settings.name(), e);
        }
        runLeftOver();
        HttpUrl base = HttpUrl.get(settings.apiUrl().toString());
        polling = new LongPoller(settings.name(), base, settings.token(), pollHttp, settings.pollTimeout(), UPDATE_TYPES,
                json, this::take, api::scrub, this::housekeeping);
        polling.start();
        log.info("Telegram bot {} is polling as @{}", settings.name(), me.getUserName());
    }

    /**
     * Whether the bot polls and its last successful {@code getUpdates} is recent (under two poll timeouts), for
     * {@code /healthz}.
     */
    public boolean running() {
        var p = polling;
        return p != null && p.healthy();
    }

    /** The profile's name. */
    public String name() {
        return settings.name();
    }

    /** The bot's @username as Telegram reported it at start. */
    public String username() {
        return me == null ? null : me.getUserName();
    }

    private void registerCommands() {
        var commands = List.of(
                new BotCommand("imagine", "Draw a picture: /imagine <prompt> [--ar 16:9] [--n 2] [--seed 42]"),
                new BotCommand("quota", "How many images you may still make"),
                new BotCommand("help", "How to use the bot"));
        try {
            api.request(null, "setMyCommands", c -> c.executeAsync(SetMyCommands.builder().commands(commands).build()));
        } catch (SendException e) {
            log.warn("Telegram bot {}: commands not registered: {}", settings.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs on the polling thread: records the batch (throwing if it cannot, so that it is not confirmed), then hands
     * the updates not seen before to their chats' lanes and returns.
     */
    private void take(List<LongPoller.Accepted> batch) {
        Set<Long> fresh = new HashSet<>(core.inbox().record(settings.name(),
                batch.stream().map(a -> new UpdateInbox.Received(a.id(), a.json())).toList()));
        for (LongPoller.Accepted a : batch) {
            if (fresh.remove(a.id())) dispatch(a.id(), a.update());
            else log.info("Telegram bot {}: update {} came again; it was taken before and is not run twice", settings.name(), a.id());
        }
    }

    /** The updates recorded but not done when the last process stopped: they run first, in their order. */
    private void runLeftOver() {
        List<UpdateInbox.Received> left;
        try {
            left = core.inbox().undone(settings.name());
        } catch (RuntimeException e) {
            log.warn("Telegram bot {}: could not read the updates left from the last run: {}", settings.name(), e.toString());
            return;
        }
        if (left.isEmpty()) return;
        log.info("Telegram bot {}: running {} update(s) the last run received but did not handle", settings.name(), left.size());
        for (UpdateInbox.Received r : left) {
            Update update;
            try {
                update = json.readValue(r.payload(), Update.class);
            } catch (JsonProcessingException e) {
                log.warn("Telegram bot {}: recorded update {} does not read; skipped", settings.name(), r.id());
                markDone(r.id());
                continue;
            }
            dispatch(r.id(), update);
        }
    }

    /** Queues an update in its chat's lane; it is marked done once taken, or at once if the lane refused it (flood). */
    private void dispatch(long id, Update update) {
        var taken = new Taken(Members.PLATFORM + ":" + settings.name() + ":" + id, () -> markDone(id));
        boolean queued;
        try {
            queued = lanes.submit(chatOf(update), () -> {
                try {
                    handle(update, taken);
                } finally {
                    if (!taken.deferred()) taken.run();
                }
            });
        } catch (RuntimeException e) {
            log.error("Telegram bot {}: update {} could not be queued; it runs at the next start", settings.name(), id, e);
            return;
        }
        if (!queued) taken.run(); // not taken; the chat is told once that it sends too fast
    }

    private void markDone(long id) {
        try {
            core.inbox().done(settings.name(), id);
        } catch (RuntimeException e) {
            log.warn("Telegram bot {}: update {} could not be marked done ({}); the next start runs it again",
                    settings.name(), id, e.toString());
        }
    }

    /** Tells a flooding chat, once per flood, that the messages it sent meanwhile were not taken. */
    private void tooFast(long chatId) {
        Thread.ofVirtual().name("telegram-flood-" + chatId).start(() -> out.tell(chatId, null, TOO_FAST));
    }

    /** Runs on the polling thread after each poll. */
    private void housekeeping() {
        long now = System.nanoTime();
        if (now - lastHousekeeping > HOUSEKEEPING_EVERY.toNanos()) {
            lastHousekeeping = now;
            api.forgetIdleChats();
        }
        if (now - lastPrune > PRUNE_EVERY.toNanos()) {
            lastPrune = now;
            try {
                int n = core.inbox().prune(settings.name(), Instant.now().minus(KEEP_DONE));
                if (n > 0) log.debug("Telegram bot {}: forgot {} handled update(s)", settings.name(), n);
            } catch (RuntimeException e) {
                log.warn("Telegram bot {}: inbox housekeeping failed: {}", settings.name(), e.toString());
            }
        }
    }

    private static long chatOf(Update update) {
        if (update.hasMessage()) return update.getMessage().getChatId();
        if (update.hasCallbackQuery() && update.getCallbackQuery().getMessage() != null) {
            return update.getCallbackQuery().getMessage().getChatId();
        }
        return 0;
    }

    private void handle(Update update, Taken taken) {
        if (update.hasCallbackQuery()) {
            buttons.handle(update.getCallbackQuery(), taken);
        } else if (update.hasMessage()) {
            onMessage(update.getMessage(), taken);
        }
    }

    private void onMessage(Message m, Taken taken) {
        User from = m.getFrom();
        String text = m.getText();
        if (from == null || Boolean.TRUE.equals(from.getIsBot()) || text == null) return; // media, service messages
        long chatId = m.getChatId();
        int messageId = m.getMessageId();
        boolean group = Members.isGroup(m.getChat());
        Requester who = Members.requester(from, m.getChat(), settings.name());
        Command command = Command.parse(text);
        if (command != null) {
            if (!command.isFor(username())) return; // addressed to another bot in the group
            switch (command.name()) {
                case "imagine" -> imagine.run(who, chatId, messageId, command.args(), taken);
                case "quota" -> quota(who, chatId, messageId);
                case "help" -> out.tell(chatId, messageId, Texts.help(core.catalog(), username()));
                case "start" -> out.tell(chatId, messageId, "Hi! I draw pictures from your words.\n\n"
                        + Texts.help(core.catalog(), username()));
                case "plan", "grant", "reset", "block", "unblock", "pool" -> {
                    // at most once: marked done before the change, so that a crash after it cannot replay it (a
                    // grant given twice); a crash before it leaves the admin without an answer, to ask again
                    taken.run();
                    if (admin != null) admin.run(command.name(), command.args(), m);
                    else out.tell(chatId, messageId, "Admin commands are not available in this setup.");
                }
                default -> {
                    if (!group || command.mention() != null) {
                        out.tell(chatId, messageId, "I don't know /" + command.name() + ". Try /imagine <prompt>, /quota or /help.");
                    }
                }
            }
        } else if (repliesToMe(m)) {
            imagine.run(who, chatId, messageId, text, taken);
        } else if (!group) {
            out.tell(chatId, messageId, "Send /imagine followed by what you want to see, for example:\n"
                    + "/imagine a lighthouse at dawn --ar 16:9");
        }
    }

    private boolean repliesToMe(Message m) {
        Message to = m.getReplyToMessage();
        return to != null && to.getFrom() != null && me != null && me.getId().equals(to.getFrom().getId());
    }

    private void quota(Requester who, long chatId, int messageId) {
        String text;
        try {
            text = QuotaText.describe(core.quota().view(who), Members.PLATFORM);
        } catch (RuntimeException e) {
            log.error("quota view failed for {}", who.memberKey(), e);
            text = "I could not read your quota right now; please try again in a moment.";
        }
        out.tell(chatId, messageId, text);
    }

    /**
     * Tells the members of this bot whose jobs a stopped process left unfinished (closed at start, what had not been
     * posted refunded) what reached them and what was not charged: in the group they asked in, or in their private
     * chat. Nobody is told about a job whose images had all been posted.
     */
    public void tellInterrupted(List<JobView> jobs) {
        for (RestartNotice notice : chat.restartNotices(jobs, Members.PLATFORM, settings.name())) {
            long chatId;
            try {
                chatId = Long.parseLong(notice.chat());
            } catch (NumberFormatException e) {
                continue;
            }
            String text = ChatText.restarted(Texts.cut(notice.job().request().prompt(), 80)) + ". " + notice.outcome();
            lanes.submit(chatId, () -> out.tell(chatId, null, text));
        }
    }

    /**
     * Stops polling and update handling: handlers running finish (up to 5 s), updates still queued are left in the
     * inbox for the next start. Jobs already on the core's executor still finish and deliver.
     */
    @Override
    public synchronized void close() {
        if (polling != null) {
            polling.close();
            polling = null;
        }
        lanes.close();
        int left = lanes.notRun();
        if (left > 0) {
            log.info("Telegram bot {}: {} update(s) were not handled before the stop; the next start runs them",
                    settings.name(), left);
        }
    }

    private static int port(TelegramBotSettings s) {
        int port = s.apiUrl().getPort();
        if (port > 0) return port;
        return "http".equals(s.apiUrl().getScheme()) ? 80 : 443;
    }
}
