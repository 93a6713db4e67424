package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Languages;
import java.util.Locale;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Telegram bot, from start to stop: it checks the token ({@code getMe}), registers its commands, runs the updates a
 * stopped process left (the {@link UpdateIntake}, which records each update it receives in the {@link UpdateInbox}
 * before it is confirmed to Telegram and hands it to per-chat lanes: in order within a chat, chats side by side), and
 * then either polls ({@link LongPoller}, the default) or, in webhook mode, has Telegram post the updates to its
 * webhook ({@code setWebhook}; the {@link WebhookReceiver} that {@link #webhookHandler()} gives must be served on the
 * webhook's path before {@link #start}). The {@link UpdateRouter} turns an update into a button press or one of the
 * commands registered in {@link #start}: {@code /imagine} (also as {@code /imagine@bot} and as a reply to the bot),
 * {@code /quota}, {@code /help}, {@code /start} and the admin commands.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private static final List<String> UPDATE_TYPES = List.of("message", "callback_query");
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** Done updates are kept this long (Telegram keeps an unconfirmed update for 24 hours), then deleted. */
    static final Duration KEEP_DONE = Duration.ofDays(1);
    /** Said to a whole chat (no one member), so in the bot's language. */

    private final TelegramBotSettings settings;
    private final ChatServices core;
    private final Chat chat;
    private final OkHttpClient pollHttp;
    private final TelegramApi api;
    private final Outbox out;
    private final ObjectMapper json = mapper();
    private final ChatLanes lanes;
    private long lastHousekeeping = System.nanoTime();
    private long lastPrune = System.nanoTime() - PRUNE_EVERY.toNanos();

    /** How old a delivery error Telegram reports may be and still count against {@link #running()}. */
    static final Duration WEBHOOK_ERROR_COUNTS = Duration.ofMinutes(10);
    private static final Duration WEBHOOK_CHECK_EVERY = Duration.ofMinutes(1);

    private volatile LongPoller polling;
    private final WebhookReceiver webhook;
    private volatile Instant webhookSetAt;
    private volatile String webhookTrouble;
    private ScheduledExecutorService webhookChores;
    private boolean started;
    private User me;
    private UpdateIntake intake;

    /**
     * A mapper whose parser and generator buffers come from one pool for every thread: Jackson's default pool keeps
     * them in a thread-local, so every (virtual) thread that sent a message (a job's, an update's) would hold its own
     * ~16 KB of them for as long as it lives (issue #15).
     */
    static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    }

    /**
     * @param core what the bot uses of the core; its {@code inbox} (required) is where it records the updates it
     *             received; its {@code admin} null answers the admin commands that they are not available
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
        var client = new OkHttpTelegramClient(mapper(), sendHttp, settings.token(), url);
        this.api = new TelegramApi(client, settings.token(), settings.limits(), d -> Thread.sleep(d));
        this.out = new Outbox(api);
        this.lanes = new ChatLanes(handlers, ChatLanes.MAX_PER_CHAT, this::tooFast);
        if (settings.webhook() != null) Secrets.register(settings.webhook().secret());
        this.webhook = settings.webhook() == null ? null : new WebhookReceiver(settings.name(), settings.webhook().secret(), json);
    }

    /**
     * What serves Telegram's webhook requests for this bot ({@code POST} on {@link TelegramBotSettings.Webhook#path}):
     * mount it on the HTTP port before {@link #start}; until the start it answers 503, and so after the stop.
     *
     * @throws IllegalStateException when the bot polls
     */
    public com.sun.net.httpserver.HttpHandler webhookHandler() {
        if (webhook == null) throw new IllegalStateException("Telegram bot " + settings.name() + " polls; it has no webhook");
        return webhook;
    }

    /**
     * Checks the token ({@code getMe}), registers the commands, runs the updates a stopped process had recorded but
     * not handled, and starts polling (after {@code deleteWebhook}, so that a webhook left set does not stop it) or,
     * in webhook mode, opens the webhook and calls {@code setWebhook} with its URL, secret and the update types the
     * bot takes, keeping the updates Telegram holds.
     *
     * @throws IllegalStateException when Telegram refuses the token or cannot be reached; the message names the
     *                               profile, never the token
     */
    public synchronized void start() {
        if (started) throw new IllegalStateException("Telegram bot " + settings.name() + " is already running");
        started = true;
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
        var imagine = new ImagineCommand(chat, out);
        var help = new HelpCommand(core.catalog(), me.getUserName(), out);
        List<TelegramCommand> commands = List.of(imagine, new QuotaCommand(core.quota(), out), help,
                new StartCommand(help, out), new AdminCommands(core.admin(), core.stats(), core.notices(), out, settings));
        var router = new UpdateRouter(commands, imagine, new JobButtons(chat, imagine, out, settings, core.languages()), out, me,
                settings.name(), core.languages());
        intake = new UpdateIntake(settings.name(), core.inbox(), lanes, json, router::handle);
        registerCommands(commands);
        if (webhook != null) {
            startWebhook();
            return;
        }
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
        intake.runLeftOver();
        HttpUrl base = HttpUrl.get(settings.apiUrl().toString());
        polling = new LongPoller(settings.name(), base, settings.token(), pollHttp, settings.pollTimeout(), UPDATE_TYPES,
                json, intake::take, api::scrub, this::housekeeping);
        polling.start();
        log.info("Telegram bot {} is polling as @{}", settings.name(), me.getUserName());
    }

    /**
     * Runs the left-over updates, opens the webhook, sets it at Telegram (updates Telegram holds are kept; so is a
     * webhook at the stop, for another process may still serve it) and checks it every minute.
     */
    private void startWebhook() {
        var hook = settings.webhook();
        intake.runLeftOver();
        webhook.open(intake::take);
        try {
            api.request(null, "setWebhook", c -> c.executeAsync(SetWebhook.builder().url(hook.url().toString())
                    .secretToken(hook.secret()).allowedUpdates(UPDATE_TYPES).dropPendingUpdates(false).build()));
        } catch (SendException e) {
            close();
            throw new IllegalStateException("Telegram bot " + settings.name() + ": the webhook was not set ("
                    + api.scrub(String.valueOf(e.getMessage())).replace(hook.secret(), "***") + "); check the profile's webhook-url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting Telegram bot " + settings.name(), e);
        }
        webhookSetAt = Instant.now();
        checkWebhook();
        webhookChores = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("telegram-webhook-" + settings.name()).factory());
        webhookChores.scheduleWithFixedDelay(() -> {
            try {
                housekeeping();
                checkWebhook();
            } catch (RuntimeException e) { // a task that throws would not be run again
                log.warn("Telegram bot {}: webhook housekeeping failed: {}", settings.name(), e.toString());
            }
        }, WEBHOOK_CHECK_EVERY.toMillis(), WEBHOOK_CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Telegram bot {} receives its updates at {} (served on path {}) as @{}", settings.name(), hook.url(),
                hook.path(), me.getUserName());
    }

    /**
     * Asks Telegram how the webhook fares ({@code getWebhookInfo}): it counts as in trouble when it is set to another
     * URL (another process took the bot over, or removed the webhook), or when Telegram reports a delivery error of the
     * last {@link #WEBHOOK_ERROR_COUNTS}, since this process set the webhook (errors from before, such as the 503s of
     * a process that was stopping, are not this one's), and Telegram has not reached the webhook here since. A failed
     * call changes nothing.
     */
    void checkWebhook() {
        var hook = settings.webhook();
        WebhookInfo info;
        try {
            info = api.request(null, "getWebhookInfo", c -> c.executeAsync(new GetWebhookInfo()));
        } catch (SendException e) {
            log.debug("Telegram bot {}: getWebhookInfo failed: {}", settings.name(), e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String trouble = null;
        if (info == null || !hook.url().toString().equals(info.getUrl())) {
            trouble = info == null || info.getUrl() == null || info.getUrl().isEmpty()
                    ? "Telegram has no webhook set for the bot (another process polls it, or removed the webhook)"
                    : "Telegram posts the bot's updates to another URL than " + hook.url();
        } else if (info.getLastErrorDate() != null) {
            Instant at = Instant.ofEpochSecond(info.getLastErrorDate());
            Instant since = webhook.lastReached();
            boolean ours = !at.isBefore(webhookSetAt.truncatedTo(ChronoUnit.SECONDS)); // Telegram counts in seconds
            if (ours && at.isAfter(Instant.now().minus(WEBHOOK_ERROR_COUNTS)) && (since == null || since.isBefore(at))) {
                String what = info.getLastErrorMessage() == null ? "" : api.scrub(info.getLastErrorMessage());
                if (what.length() > 200) what = what.substring(0, 200) + "…";
                trouble = "Telegram could not deliver to the webhook at " + at + (what.isEmpty() ? "" : ": " + what);
            }
        }
        if (trouble != null && !trouble.equals(webhookTrouble)) log.warn("Telegram bot {}: {}", settings.name(), trouble);
        else if (trouble == null && webhookTrouble != null) log.info("Telegram bot {}: the webhook works again", settings.name());
        webhookTrouble = trouble;
    }

    /**
     * For {@code /healthz}: whether the bot polls and its last successful {@code getUpdates} is recent (under two
     * poll timeouts), or, in webhook mode, whether the webhook is open and set and Telegram reports no recent trouble
     * delivering to it ({@link #checkWebhook}).
     */
    public boolean running() {
        if (webhook != null) return webhook.isOpen() && webhookSetAt != null && webhookTrouble == null;
        var p = polling;
        return p != null && p.healthy();
    }

    /** Why {@link #running()} is false, when the bot knows (webhook mode); null otherwise. */
    public String trouble() {
        if (webhook == null || running()) return null;
        if (!webhook.isOpen() || webhookSetAt == null) return "the webhook is not open";
        return webhookTrouble;
    }

    /** The profile's name. */
    public String name() {
        return settings.name();
    }

    /** The public URL Telegram posts this bot's updates to; null when it polls. */
    public java.net.URI webhookUrl() {
        return settings.webhook() == null ? null : settings.webhook().url();
    }

    /** The bot's @username as Telegram reported it at start. */
    public String username() {
        return me == null ? null : me.getUserName();
    }

    /**
     * Shows the commands that have a menu line in Telegram's command menu: once for every shipped language (with its
     * {@code language_code}, which Telegram shows to users of that language), and once without one, in the bot
     * profile's language, for everyone else.
     */
    private void registerCommands(List<TelegramCommand> commands) {
        menu(commands, null, core.languages().botDefault(settings.name()));
        for (Locale language : Languages.SHIPPED) menu(commands, language.getLanguage(), language);
    }

    private void menu(List<TelegramCommand> commands, String languageCode, Locale locale) {
        List<BotCommand> menu = commands.stream().filter(c -> c.menuText(locale) != null)
                .map(c -> new BotCommand(c.names().getFirst(), c.menuText(locale))).toList();
        try {
            api.request(null, "setMyCommands", c -> c.executeAsync(SetMyCommands.builder().commands(menu)
                    .languageCode(languageCode).build()));
        } catch (SendException e) {
            log.warn("Telegram bot {}: commands{} not registered: {}", settings.name(),
                    languageCode == null ? "" : " for language " + languageCode, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells a flooding chat, once per flood, that the messages it sent meanwhile were not taken. */
    private void tooFast(long chatId) {
        Thread.ofVirtual().name("telegram-flood-" + chatId).start(() -> {
            // in the group's language (group ids are negative), else the bot's: no member's event to go by
            Locale locale = core.languages().communityDefault(Members.PLATFORM, chatId < 0 ? String.valueOf(chatId) : null, settings.name());
            out.tell(chatId, null, Messages.render(locale, Msg.TELEGRAM_TOO_FAST, "max", ChatLanes.MAX_PER_CHAT));
        });
    }

    /** Runs on the polling thread after each poll (in webhook mode, every minute). */
    private void housekeeping() {
        long now = System.nanoTime();
        if (now - lastHousekeeping > HOUSEKEEPING_EVERY.toNanos()) {
            lastHousekeeping = now;
            api.forgetIdleChats();
        }
        if (now - lastPrune > PRUNE_EVERY.toNanos()) {
            lastPrune = now;
            intake.prune(Instant.now().minus(KEEP_DONE));
        }
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
            // who asked is stored without a language: their group's (or the bot's)
            String text = Messages.render(core.languages().communityDefault(notice.asker()), ChatText.restarted(TelegramText.cut(notice.job().request().prompt(), 80), null, notice));
            lanes.submit(chatId, () -> out.tell(chatId, null, text));
        }
    }

    /**
     * Posts {@code text} in chat {@code chat} (a group or a private chat of this bot): for what the core tells admins
     * unasked ({@link dev.pictor.core.port.ChatPost}).
     *
     * @throws IllegalStateException when Telegram does not take it
     */
    public void post(String chat, String text) {
        long chatId = Long.parseLong(chat);
        try {
            out.text(chatId, null, text, null);
        } catch (SendException e) {
            throw new IllegalStateException("bot " + settings.name() + ": could not post in chat " + chatId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting in chat " + chatId, e);
        }
    }

    /**
     * Stops polling, or closes the webhook (it answers 503 from now on; the webhook stays set at Telegram, for another
     * process may serve it), and update handling: handlers running finish (up to 5 s), updates still queued are left
     * in the inbox for the next start. Jobs already on the core's executor still finish and deliver.
     */
    @Override
    public synchronized void close() {
        if (polling != null) {
            polling.close();
            polling = null;
        }
        if (webhook != null) webhook.close();
        if (webhookChores != null) {
            webhookChores.shutdownNow();
            webhookChores = null;
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
