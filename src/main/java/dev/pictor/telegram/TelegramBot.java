package dev.pictor.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.QuotaText;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.ops.Secrets;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.util.DefaultGetUpdatesGenerator;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Telegram bot on long polling: the polling thread only hands updates to per-chat lanes (in order within a chat,
 * chats side by side), where commands and button presses become core calls. Serves {@code /imagine} (also as
 * {@code /imagine@bot} and as a reply to the bot), {@code /quota}, {@code /help} and {@code /start}.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private static final List<String> UPDATE_TYPES = List.of("message", "callback_query");
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);

    /** What the bot uses of the core; {@code admin} null leaves the admin commands out. */
    public record Core(OptionParser parser, RequestValidator validator, ModelCatalog catalog,
                       GenerationService generation, QuotaPort quota, JobLedger ledger, AdminPort admin) {
    }

    private final TelegramBotSettings settings;
    private final Core core;
    private final OkHttpClient pollHttp;
    private final TelegramUrl url;
    private final TelegramApi api;
    private final Outbox out;
    private final ChatLanes lanes = new ChatLanes(Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("telegram-update-", 0).factory()));
    private final ScheduledExecutorService pollThread;
    private volatile long lastHousekeeping = System.nanoTime();

    private volatile TelegramBotsLongPollingApplication polling;
    private User me;
    private ImagineCommand imagine;
    private ButtonPresses buttons;
    private AdminCommands admin;

    /**
     * @param http the service's shared HTTP client; the bot derives its own timeouts from it (long polls hold 50 s),
     *             and never lets OkHttp repeat a request after a connection failure, whatever {@code http} says
     */
    public TelegramBot(TelegramBotSettings settings, Core core, OkHttpClient http) {
        this.settings = settings;
        this.core = core;
        Secrets.register(settings.token());
        this.url = new TelegramUrl(settings.apiUrl().getScheme(), settings.apiUrl().getHost(), port(settings), false);
        // Never re-sent by OkHttp after a lost connection: Telegram may have acted (see TelegramApi).
        this.pollHttp = http.newBuilder().readTimeout(Duration.ofSeconds(75)).retryOnConnectionFailure(false).build();
        OkHttpClient sendHttp = http.newBuilder().readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false).build();
        var client = new OkHttpTelegramClient(new ObjectMapper(), sendHttp, settings.token(), url);
        this.api = new TelegramApi(client, settings.token(), settings.limits(), d -> Thread.sleep(d));
        this.out = new Outbox(api);
        this.pollThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telegram-poll-" + settings.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks the token ({@code getMe}), registers the commands and starts polling.
     *
     * @throws IllegalStateException when Telegram refuses the token or cannot be reached; the message names the
     *                               profile, never the token
     */
    public synchronized void start() {
        if (polling != null) throw new IllegalStateException("Telegram bot " + settings.name() + " is already running");
        try {
            me = api.request(null, "getMe", c -> c.executeAsync(new GetMe()));
        } catch (SendException e) {
            throw new IllegalStateException("Telegram bot " + settings.name() + ": " + (e.status() == 401 || e.status() == 404
                    ? "Telegram refused the token; check TELEGRAM_TOKEN (or the profile's token)"
                    : "could not reach the Bot API at " + settings.apiUrl() + " (" + e.getMessage() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Telegram bot " + settings.name(), e);
        }
        imagine = new ImagineCommand(core.parser(), core.validator(), core.generation(), out);
        var random = new SecureRandom();
        buttons = new ButtonPresses(core.ledger(), core.validator(), imagine, out, settings, random::nextLong);
        admin = core.admin() == null ? null : new AdminCommands(core.admin(), out, settings);
        registerCommands();
        try {
            polling = new TelegramBotsLongPollingApplication(ObjectMapper::new, () -> pollHttp, () -> pollThread);
            polling.registerBot(settings.token(), () -> url, new DefaultGetUpdatesGenerator(UPDATE_TYPES), this::consume);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Telegram bot " + settings.name() + ": long polling did not start ("
                    + api.scrub(String.valueOf(e.getMessage())) + ")");
        }
        log.info("Telegram bot {} is polling as @{}", settings.name(), me.getUserName());
    }

    /** Whether the bot is polling, for {@code /healthz}. */
    public boolean running() {
        var p = polling;
        return p != null && p.isRunning();
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

    /** Runs on the polling thread: hand over and return. It must never throw (that would end polling). */
    private void consume(List<Update> updates) {
        for (Update update : updates) {
            try {
                lanes.submit(chatOf(update), () -> handle(update));
            } catch (RuntimeException e) {
                log.error("update {} could not be queued", update.getUpdateId(), e);
            }
        }
        if (System.nanoTime() - lastHousekeeping > HOUSEKEEPING_EVERY.toNanos()) {
            lastHousekeeping = System.nanoTime();
            api.forgetIdleChats();
        }
    }

    private static long chatOf(Update update) {
        if (update.hasMessage()) return update.getMessage().getChatId();
        if (update.hasCallbackQuery() && update.getCallbackQuery().getMessage() != null) {
            return update.getCallbackQuery().getMessage().getChatId();
        }
        return 0;
    }

    private void handle(Update update) {
        if (update.hasCallbackQuery()) {
            buttons.handle(update.getCallbackQuery());
        } else if (update.hasMessage()) {
            onMessage(update.getMessage());
        }
    }

    private void onMessage(Message m) {
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
                case "imagine" -> imagine.run(who, chatId, messageId, command.args());
                case "quota" -> quota(who, chatId, messageId);
                case "help" -> out.tell(chatId, messageId, Texts.help(core.catalog(), username()));
                case "start" -> out.tell(chatId, messageId, "Hi! I draw pictures from your words.\n\n"
                        + Texts.help(core.catalog(), username()));
                case "plan", "grant", "reset", "block", "unblock", "pool" -> {
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
            imagine.run(who, chatId, messageId, text);
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
     * Tells the members of this bot whose jobs a stopped process left unfinished (they were closed as failed and
     * refunded at start) that nothing is coming: in the group they asked in, or in their private chat.
     */
    public void tellInterrupted(List<JobView> jobs) {
        for (JobView job : jobs) {
            var who = job.request().requester();
            if (!Members.PLATFORM.equals(who.platform()) || !settings.name().equals(who.botProfile())) continue;
            long chatId;
            try {
                chatId = Long.parseLong(who.communityId() != null ? who.communityId() : who.userId());
            } catch (NumberFormatException e) {
                continue;
            }
            String text = "pictor restarted before your images for \"" + Texts.cut(job.request().prompt(), 80)
                    + "\" were ready. Nothing was charged; please ask again.";
            lanes.submit(chatId, () -> out.tell(chatId, null, text));
        }
    }

    /** Stops polling and update handling (jobs already on the core's executor still finish and deliver). */
    @Override
    public synchronized void close() {
        if (polling != null) {
            try {
                polling.close();
            } catch (Exception e) {
                log.warn("Telegram bot {}: polling did not stop cleanly: {}", settings.name(), api.scrub(String.valueOf(e.getMessage())));
            }
            polling = null;
        }
        pollThread.shutdownNow();
        try {
            if (!pollThread.awaitTermination(5, TimeUnit.SECONDS)) log.warn("Telegram bot {}: poller still running", settings.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close();
    }

    private static int port(TelegramBotSettings s) {
        int port = s.apiUrl().getPort();
        if (port > 0) return port;
        return "http".equals(s.apiUrl().getScheme()) ? 80 : 443;
    }
}
