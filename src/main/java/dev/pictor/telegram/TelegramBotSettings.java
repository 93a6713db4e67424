package dev.pictor.telegram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One Telegram bot profile ({@code bots/<name>.yaml} with {@code platform: telegram}).
 *
 * @param name   the profile's name (the file name), used in logs and as the requests' bot profile
 * @param token  the bot token from BotFather; never logged or shown ({@link #toString()} hides it)
 * @param apiUrl the Bot API base, {@code https://api.telegram.org} unless a deployment or a test points elsewhere
 * @param admins Telegram user ids of the bot's admins (they may delete anyone's images and run admin commands)
 * @param limits how fast the bot sends, within Telegram's flood limits
 * @param pollTimeout how long one {@code getUpdates} long poll may be held open ({@link #POLL_TIMEOUT} unless a test
 *                    shortens it); the bot counts as down once its last successful poll is twice as old
 * @param webhook     where Telegram posts the updates ({@code mode: webhook}); null: the bot polls
 */
public record TelegramBotSettings(String name, String token, URI apiUrl, Set<Long> admins, SendLimits limits,
                                  Duration pollTimeout, Webhook webhook) {
    public static final URI DEFAULT_API_URL = URI.create("https://api.telegram.org");
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
     * port. The secret is never shown ({@link #toString()} hides it).
     */
    public record Webhook(URI url, String secret, String path) {
        public Webhook {
            if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("the webhook URL must be an https address, not " + url);
            }
            if (secret == null || !secret.matches("[A-Za-z0-9_-]{1,256}")) {
                throw new IllegalArgumentException("the webhook secret must be 1-256 of A-Z a-z 0-9 _ - (its value is not shown)");
            }
            if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("the webhook path must be a path such as /telegram/bot, not " + path);
            }
        }

        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=***, path=" + path + "]";
        }
    }

    public TelegramBotSettings {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a Telegram bot profile needs a name");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("Telegram bot " + name + ": token is empty (set TELEGRAM_TOKEN)");
        }
        apiUrl = apiUrl == null ? DEFAULT_API_URL : apiUrl;
        String scheme = apiUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || apiUrl.getHost() == null) {
            throw new IllegalArgumentException("Telegram bot " + name + ": api-url must be an http(s) address such as "
                    + DEFAULT_API_URL + ", not " + apiUrl);
        }
        String path = apiUrl.getPath();
        if (path != null && !path.isEmpty() && !"/".equals(path)) {
            throw new IllegalArgumentException("Telegram bot " + name + ": api-url must have no path (the library adds "
                    + "/bot<token>/<method>), not " + apiUrl);
        }
        admins = admins == null ? Set.of() : Set.copyOf(admins);
        limits = limits == null ? SendLimits.TELEGRAM : limits;
        pollTimeout = pollTimeout == null ? POLL_TIMEOUT : pollTimeout;
        if (pollTimeout.compareTo(Duration.ofSeconds(1)) < 0 || pollTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("Telegram bot " + name + ": the poll timeout must be 1 s to 5 min, not " + pollTimeout);
        }
    }

    /** Builds settings from configuration strings: admins are user ids written as numbers or strings. */
    public static TelegramBotSettings of(String name, String token, String apiUrl, List<String> admins) {
        var ids = new LinkedHashSet<Long>();
        var bad = new ArrayList<String>();
        for (String a : admins == null ? List.<String>of() : admins) {
            try {
                ids.add(Long.parseLong(Objects.requireNonNull(a).strip()));
            } catch (RuntimeException e) {
                bad.add(String.valueOf(a));
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("Telegram bot " + name + ": admins must be numeric Telegram user ids, not " + bad);
        }
        URI uri;
        try {
            uri = apiUrl == null || apiUrl.isBlank() ? null : URI.create(apiUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Telegram bot " + name + ": api-url is not a valid address: " + apiUrl);
        }
        return new TelegramBotSettings(name, token, uri, ids, null);
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
