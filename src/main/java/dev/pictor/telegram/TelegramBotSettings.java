package dev.pictor.telegram;

import dev.pictor.config.BotProfile;
import dev.pictor.core.Platform;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the Telegram adapter needs of one bot profile at run time. The profile itself ({@link BotProfile}: its keys,
 * their defaults and every check of them, the webhook's included) is read and validated once, by the configuration;
 * this record copies its values and adds only what is the adapter's own (send limits, the poll timeout). Nothing here
 * has a default of its own for a profile key or checks one again.
 *
 * @param name   the profile's name (the file name), used in logs and as the requests' bot profile
 * @param token  the bot token from BotFather; never logged or shown ({@link #toString()} hides it)
 * @param apiUrl the Bot API base ({@code api-url}: {@link BotProfile#TELEGRAM_API_URL} unless a deployment or a test
 *               points elsewhere)
 * @param admins Telegram user ids of the bot's admins (they may delete anyone's images and run admin commands)
 * @param limits how fast the bot sends, within Telegram's flood limits
 * @param pollTimeout how long one {@code getUpdates} long poll may be held open ({@link #POLL_TIMEOUT} unless a test
 *                    shortens it); the bot counts as down once its last successful poll is twice as old
 * @param webhook     where Telegram posts the updates ({@code mode: webhook}); null: the bot polls
 */
public record TelegramBotSettings(String name, String token, URI apiUrl, Set<Long> admins, SendLimits limits,
                                  Duration pollTimeout, Webhook webhook) {
    public static final Duration POLL_TIMEOUT = Duration.ofSeconds(50);

    public TelegramBotSettings(String name, String token, URI apiUrl, Set<Long> admins, SendLimits limits) {
        this(name, token, apiUrl, admins, limits, null, null);
    }

    public TelegramBotSettings(String name, String token, URI apiUrl, Set<Long> admins, SendLimits limits,
                               Duration pollTimeout) {
        this(name, token, apiUrl, admins, limits, pollTimeout, null);
    }

    /**
     * Webhook mode: Telegram posts each update to {@code url} (public, HTTPS) with {@code secret} in the
     * {@code X-Telegram-Bot-Api-Secret-Token} header; a reverse proxy forwards it to {@code path} on pictor's HTTP
     * port. The profile has checked all three. The secret is never shown ({@link #toString()} hides it).
     */
    public record Webhook(URI url, String secret, String path) {
        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=***, path=" + path + "]";
        }
    }

    public TelegramBotSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(apiUrl, "apiUrl");
        admins = admins == null ? Set.of() : Set.copyOf(admins);
        limits = limits == null ? SendLimits.TELEGRAM : limits;
        pollTimeout = pollTimeout == null ? POLL_TIMEOUT : pollTimeout;
        if (pollTimeout.compareTo(Duration.ofSeconds(1)) < 0 || pollTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("Telegram bot " + name + ": the poll timeout must be 1 s to 5 min, not " + pollTimeout);
        }
    }

    /** The run-time view of a validated profile (its admins are digits: the profile checked them). */
    public static TelegramBotSettings of(BotProfile p) {
        Set<Long> admins = p.admins().stream().map(Long::parseLong).collect(Collectors.toUnmodifiableSet());
        Webhook hook = p.usesWebhook() ? new Webhook(URI.create(p.webhookUrl()), p.webhookSecret(), p.webhookPath()) : null;
        return new TelegramBotSettings(p.name(), p.token(), URI.create(p.apiUrl()), admins, null, null, hook);
    }

    /** A polling profile from its keys, defaults and checks as the configuration applies them (for tests and tools). */
    public static TelegramBotSettings of(String name, String token, String apiUrl, List<String> admins) {
        return of(new BotProfile(name, Platform.TELEGRAM, token, apiUrl, null, admins, null, null, null, null, null,
                null, null));
    }

    public TelegramBotSettings withLimits(SendLimits newLimits) {
        return new TelegramBotSettings(name, token, apiUrl, admins, newLimits, pollTimeout, webhook);
    }

    public TelegramBotSettings withPollTimeout(Duration timeout) {
        return new TelegramBotSettings(name, token, apiUrl, admins, limits, timeout, webhook);
    }

    /** These settings in webhook mode ({@code null}: polling). */
    public TelegramBotSettings withWebhook(Webhook hook) {
        return new TelegramBotSettings(name, token, apiUrl, admins, limits, pollTimeout, hook);
    }

    public boolean isAdmin(long userId) {
        return admins.contains(userId);
    }

    @Override
    public String toString() {
        return "TelegramBotSettings[name=" + name + ", token=***, apiUrl=" + apiUrl + ", admins=" + admins
                + ", limits=" + limits + ", pollTimeout=" + pollTimeout + ", webhook=" + webhook + "]";
    }

    /**
     * How fast the bot sends messages (chat actions and callback answers are not counted).
     *
     * @param perChatBurst     messages one chat may get at once (an album and its buttons)
     * @param perChatEvery     then one message per this interval in one chat (Telegram: about one per second)
     * @param perGroupPerMinute messages per minute in one group (Telegram: 20)
     * @param overallPerSecond messages per second for the whole bot (Telegram: about 30)
     * @param maxFloodWait     the longest 429 {@code retry_after} the bot waits out before giving a send up
     */
    public record SendLimits(int perChatBurst, Duration perChatEvery, int perGroupPerMinute, int overallPerSecond,
                             Duration maxFloodWait) {
        public static final SendLimits TELEGRAM = new SendLimits(2, Duration.ofSeconds(1), 20, 30, Duration.ofSeconds(60));

        public SendLimits {
            if (perChatBurst < 1 || perGroupPerMinute < 1 || overallPerSecond < 1) {
                throw new IllegalArgumentException("send limits must be at least 1");
            }
            if (perChatEvery == null || perChatEvery.isNegative() || perChatEvery.isZero()) {
                throw new IllegalArgumentException("perChatEvery must be positive");
            }
            maxFloodWait = maxFloodWait == null ? Duration.ofSeconds(60) : maxFloodWait;
        }
    }
}
