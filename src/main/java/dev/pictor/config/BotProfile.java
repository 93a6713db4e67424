package dev.pictor.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.pictor.core.Platform;
import dev.pictor.core.text.Languages;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code bots/<name>.yaml}: one bot. {@code name} is the file's name. {@code token} empty means the profile is
 * skipped (not an error). {@code api-url} is the platform's API base (Telegram Bot API; Discord REST) and
 * {@code gateway-url} Discord's gateway, so that a deployment or a test can point the bot elsewhere. {@code admins}
 * are user ids allowed the admin commands; {@code community-pool} limits each community as a whole; {@code
 * global-daily-cap} limits the whole bot per day; {@code spend-caps} ({@code member}, {@code community}, {@code bot})
 * replace the config's daily spend caps for this bot, cap by cap. Discord only: {@code role-plans} (role id → plan), {@code commands}
 * ({@code global} or {@code guild}, with {@code guilds}), {@code shards} (the total) and {@code shard-ids} (which of
 * them this process runs; empty: all). Telegram only: {@code mode} ({@code polling}, the default, or {@code webhook});
 * with {@code webhook}, {@code webhook-url} (the public HTTPS address Telegram posts the updates to, on a port
 * Telegram calls: 443, 80, 88 or 8443), {@code webhook-secret} (16–256 of {@code A-Z a-z 0-9 _ -}, which Telegram sends
 * back in every request's {@code X-Telegram-Bot-Api-Secret-Token} header; never shown) and {@code webhook-path} (where
 * pictor's HTTP port takes them, behind the reverse proxy; default {@code /telegram/<name>}). Both: {@code language}
 * (one of {@link Languages#SHIPPED}, e.g. {@code de} or {@code pt-BR}; default English) is what a member whose own
 * language pictor does not ship is answered in, unless their community's admins chose another.
 */
public record BotProfile(String name, Platform platform, String token, String apiUrl, String gatewayUrl,
                         List<String> admins, CommunityPool communityPool, Map<String, String> rolePlans,
                         Integer globalDailyCap, CommandScope commands, List<String> guilds, Integer shards,
                         List<Integer> shardIds, Mode mode, String webhookUrl, String webhookSecret, String webhookPath,
                         String language, SpendCapsConfig spendCaps) {
    public static final String DISCORD_API_URL = "https://discord.com/api/v10";
    public static final String DISCORD_GATEWAY_URL = "wss://gateway.discord.gg";
    public static final String TELEGRAM_API_URL = "https://api.telegram.org";
    private static final Pattern ID = Pattern.compile("\\d{1,20}");
    /** What Telegram allows in a webhook's {@code secret_token}. */
    private static final Pattern WEBHOOK_SECRET = Pattern.compile("[A-Za-z0-9_-]{16,256}");
    /** A path on pictor's HTTP port: segments of letters, digits and {@code . _ ~ -}. */
    private static final Pattern WEBHOOK_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    /** The ports Telegram sends webhooks to. */
    public static final List<Integer> WEBHOOK_PORTS = List.of(443, 80, 88, 8443);

    /** How a Telegram bot receives its updates. */
    public enum Mode {
        /** The bot asks Telegram for them ({@code getUpdates}). */
        POLLING,
        /** Telegram posts them to the bot's {@code webhook-url}. */
        WEBHOOK;

        @JsonCreator
        public static Mode parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            for (Mode m : values()) if (m.id().equals(t)) return m;
            throw new IllegalArgumentException("unknown mode \"" + text + "\" (known: polling, webhook)");
        }

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The profile of an earlier shape (no Telegram mode): polling, English, no spend caps of its own. */
    public BotProfile(String name, Platform platform, String token, String apiUrl, String gatewayUrl,
                      List<String> admins, CommunityPool communityPool, Map<String, String> rolePlans,
                      Integer globalDailyCap, CommandScope commands, List<String> guilds, Integer shards,
                      List<Integer> shardIds) {
        this(name, platform, token, apiUrl, gatewayUrl, admins, communityPool, rolePlans, globalDailyCap, commands,
                guilds, shards, shardIds, null, null, null, null);
    }

    /** A profile without a default language (English) or spend caps of its own. */
    public BotProfile(String name, Platform platform, String token, String apiUrl, String gatewayUrl,
                      List<String> admins, CommunityPool communityPool, Map<String, String> rolePlans,
                      Integer globalDailyCap, CommandScope commands, List<String> guilds, Integer shards,
                      List<Integer> shardIds, Mode mode, String webhookUrl, String webhookSecret, String webhookPath) {
        this(name, platform, token, apiUrl, gatewayUrl, admins, communityPool, rolePlans, globalDailyCap, commands,
                guilds, shards, shardIds, mode, webhookUrl, webhookSecret, webhookPath, null, null);
    }

    public BotProfile {
        token = token == null ? "" : token.strip();
        admins = Values.list(admins).stream().map(String::strip).toList();
        rolePlans = Values.ordered(rolePlans);
        guilds = Values.list(guilds).stream().map(String::strip).toList();
        shardIds = Values.list(shardIds);
        var c = Invalid.collector().require("name", name).require("platform", platform);
        boolean discord = platform == Platform.DISCORD;
        if (platform != null) {
            apiUrl = Values.blank(apiUrl) ? (discord ? DISCORD_API_URL : TELEGRAM_API_URL) : Values.stripSlash(apiUrl);
            c.check(Values.isUrl(apiUrl, "http", "https"), "api-url", "must be an http(s) URL, not \"" + apiUrl + "\"");
            if (discord) {
                gatewayUrl = Values.blank(gatewayUrl) ? DISCORD_GATEWAY_URL : Values.stripSlash(gatewayUrl);
                c.check(Values.isUrl(gatewayUrl, "ws", "wss"), "gateway-url", "must be a ws(s) URL such as " + DISCORD_GATEWAY_URL + ", not \"" + gatewayUrl + "\"");
                commands = Values.or(commands, CommandScope.GLOBAL);
                shards = Values.or(shards, 1);
                c.check(shards >= 1, "shards", "must be at least 1, not " + shards);
                c.check(commands != CommandScope.GUILD || !guilds.isEmpty(), "guilds", "list the server ids to register the commands in (commands: guild)");
                c.check(commands != CommandScope.GLOBAL || guilds.isEmpty(), "guilds", "only used with commands: guild");
                for (int i = 0; i < shardIds.size(); i++) {
                    Integer id = shardIds.get(i);
                    c.check(id != null && id >= 0 && id < shards, "shard-ids[" + i + "]",
                            "must be a shard number from 0 to " + (shards - 1) + " (shards: " + shards + "), not " + id);
                }
                c.check(shardIds.stream().distinct().count() == shardIds.size(), "shard-ids", "lists a shard twice");
                c.check(mode == null, "mode", "only for telegram profiles");
                c.check(webhookUrl == null, "webhook-url", "only for telegram profiles");
                c.check(webhookSecret == null, "webhook-secret", "only for telegram profiles");
                c.check(webhookPath == null, "webhook-path", "only for telegram profiles");
            } else {
                c.check(!Values.isUrl(apiUrl, "http", "https") || Values.pathOf(apiUrl).isEmpty(), "api-url",
                        "must have no path (the Bot API client adds /bot<token>/<method>), e.g. " + TELEGRAM_API_URL);
                c.check(gatewayUrl == null, "gateway-url", "only for discord profiles");
                c.check(rolePlans.isEmpty(), "role-plans", "only for discord profiles");
                c.check(commands == null, "commands", "only for discord profiles");
                c.check(guilds.isEmpty(), "guilds", "only for discord profiles");
                c.check(shards == null, "shards", "only for discord profiles");
                c.check(shardIds.isEmpty(), "shard-ids", "only for discord profiles");
                mode = Values.or(mode, Mode.POLLING);
                webhookUrl = Values.blank(webhookUrl) ? null : webhookUrl.strip();
                webhookSecret = Values.blank(webhookSecret) ? null : webhookSecret.strip();
                webhookPath = Values.blank(webhookPath) ? null : Values.stripSlash(webhookPath);
                if (mode == Mode.WEBHOOK) {
                    // an unset ${VAR} of a profile that is skipped anyway (no token) is not an error
                    if (!token.isEmpty()) {
                        c.check(webhookUrl != null, "webhook-url", "is required with mode: webhook (the public HTTPS "
                                + "address Telegram posts the updates to, e.g. https://bots.example.org/telegram/" + name + ")");
                        c.check(webhookSecret != null, "webhook-secret", "is required with mode: webhook (16-256 of "
                                + "A-Z a-z 0-9 _ -, e.g. ${TELEGRAM_WEBHOOK_SECRET}): it proves a request comes from Telegram");
                    }
                    if (webhookUrl != null) {
                        String why = webhookUrlProblem(webhookUrl);
                        c.check(why == null, "webhook-url", why);
                    }
                    c.check(webhookSecret == null || WEBHOOK_SECRET.matcher(webhookSecret).matches(), "webhook-secret",
                            "must be 16-256 characters, each a letter A-Z or a-z, a digit, _ or - (Telegram takes 1-256; pictor"
                                    + " asks for 16 or more, so that it cannot be guessed and is masked wherever it could be logged);"
                                    + " this one " + (webhookSecret == null ? "" : webhookSecret.length() > 256 ? "is "
                                    + webhookSecret.length() + " characters long" : webhookSecret.length() < 16 ? "is "
                                    + webhookSecret.length() + " characters long" : "has other characters") + " (its value is not shown)");
                    if (webhookPath == null) webhookPath = "/telegram/" + name;
                    c.check(WEBHOOK_PATH.matcher(webhookPath).matches(), "webhook-path",
                            "must be a path such as /telegram/" + name + " (segments of letters, digits and . _ ~ -), not \""
                                    + webhookPath + "\"");
                    c.check(!List.of("/healthz", "/metrics").contains(webhookPath), "webhook-path",
                            "must not be " + webhookPath + ", which serves the operator's endpoint of that name");
                } else {
                    c.check(webhookUrl == null, "webhook-url", "only with mode: webhook");
                    c.check(webhookSecret == null, "webhook-secret", "only with mode: webhook");
                    c.check(webhookPath == null, "webhook-path", "only with mode: webhook");
                }
            }
        }
        for (int i = 0; i < admins.size(); i++) {
            c.check(ID.matcher(admins.get(i)).matches(), "admins[" + i + "]", "a user id is digits, not \"" + admins.get(i) + "\"");
        }
        for (int i = 0; i < guilds.size(); i++) {
            c.check(ID.matcher(guilds.get(i)).matches(), "guilds[" + i + "]", "a server id is digits, not \"" + guilds.get(i) + "\"");
        }
        for (var role : rolePlans.keySet()) c.check(ID.matcher(role).matches(), "role-plans." + role, "a role id is digits");
        c.check(globalDailyCap == null || globalDailyCap >= 1, "global-daily-cap", "must be at least 1, not " + globalDailyCap);
        language = Values.blank(language) ? null : language.strip();
        c.check(language == null || Languages.supported(language).isPresent(), "language",
                "pictor speaks " + Languages.tags() + ", not \"" + language + "\"");
        c.check(spendCaps == null || spendCaps.timeZone() == null, "spend-caps.time-zone",
                "the day's time zone is one for all bots: set it in config/pictor.yaml");
        c.throwIfAny();
    }

    /** What is wrong with a webhook URL, or null: Telegram posts only to HTTPS, on 443, 80, 88 or 8443. */
    private static String webhookUrlProblem(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: \"" + url + "\"";
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            return "must be an https URL Telegram can reach (behind a reverse proxy that forwards to this port), not \"" + url + "\"";
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
            return "must be a plain https URL, without user, query or fragment";
        }
        if (u.getPort() != -1 && !WEBHOOK_PORTS.contains(u.getPort())) {
            return "port " + u.getPort() + " is not one Telegram sends webhooks to (443, 80, 88 or 8443)";
        }
        return null;
    }

    /** The language members of this bot are answered in when neither theirs nor their community's applies. */
    public Locale defaultLanguage() {
        return Languages.first(language);
    }

    /** Whether this Telegram profile receives its updates by webhook. */
    public boolean usesWebhook() {
        return mode == Mode.WEBHOOK;
    }

    /** The profile's file name in the bots directory. */
    public String fileName() {
        return name + ".yaml";
    }

    /** A profile whose token is empty is skipped. */
    public boolean enabled() {
        return !token.isEmpty();
    }

    /** The plan names this profile refers to that {@code quota} does not define. */
    public List<Invalid.Problem> checkPlans(QuotaConfig quota) {
        var p = new ArrayList<Invalid.Problem>();
        String known = String.join(", ", quota.plans().keySet());
        if (communityPool != null && communityPool.plan() != null && !quota.plans().containsKey(communityPool.plan())) {
            p.add(new Invalid.Problem("community-pool", "unknown plan \"" + communityPool.plan() + "\" (known: " + known + ")"));
        }
        rolePlans.forEach((role, plan) -> {
            if (!quota.plans().containsKey(plan)) p.add(new Invalid.Problem("role-plans." + role, "unknown plan \"" + plan + "\" (known: " + known + ")"));
        });
        return p;
    }

    /** A Telegram bot token as BotFather gives it: the bot's id, a colon, then the secret (35 characters today). */
    private static final Pattern TELEGRAM_TOKEN = Pattern.compile("\\d{1,20}:[A-Za-z0-9_-]{20,}");
    /** A Discord bot token: three base64url parts joined by dots (the first is the application id, encoded). */
    private static final Pattern DISCORD_TOKEN = Pattern.compile("[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{3,}\\.[A-Za-z0-9_-]{10,}");

    /**
     * What this valid profile has that is probably a mistake, for {@code check} to warn about (never naming the
     * token's value): a file named after the other platform, the other platform's API as {@code api-url}, a token
     * that does not have the platform's shape (a placeholder such as {@code paste-token-here}, or the other
     * platform's token).
     */
    public List<Invalid.Problem> doubts() {
        var p = new ArrayList<Invalid.Problem>();
        Platform other = platform == Platform.DISCORD ? Platform.TELEGRAM : Platform.DISCORD;
        if (name.toLowerCase(java.util.Locale.ROOT).contains(other.id())) {
            p.add(new Invalid.Problem("platform", "is " + platform.id() + " in a file named " + fileName()
                    + "; is this profile meant to be the " + other.id() + " bot?"));
        }
        String host = Values.isUrl(apiUrl, "http", "https") ? java.net.URI.create(apiUrl).getHost() : "";
        host = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        if (platform == Platform.DISCORD && host.equals("api.telegram.org")) {
            p.add(new Invalid.Problem("api-url", apiUrl + " is Telegram's Bot API, not Discord's REST API (" + DISCORD_API_URL + ")"));
        }
        if (platform == Platform.TELEGRAM && (host.equals("discord.com") || host.endsWith(".discord.com") || host.equals("discordapp.com"))) {
            p.add(new Invalid.Problem("api-url", apiUrl + " is Discord's API, not Telegram's Bot API (" + TELEGRAM_API_URL + ")"));
        }
        if (enabled()) {
            boolean telegramShape = TELEGRAM_TOKEN.matcher(token).matches(), discordShape = DISCORD_TOKEN.matcher(token).matches();
            if (platform == Platform.TELEGRAM && !telegramShape) {
                p.add(new Invalid.Problem("token", discordShape ? "looks like a Discord bot token, not a Telegram one"
                        : "does not look like a Telegram bot token (digits, a colon, then about 35 letters, digits, - and _, as BotFather gives it)"));
            }
            if (platform == Platform.DISCORD && !discordShape) {
                p.add(new Invalid.Problem("token", telegramShape ? "looks like a Telegram bot token, not a Discord one"
                        : "does not look like a Discord bot token (three parts joined by dots, from the Developer Portal's Bot page)"));
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "BotProfile[name=" + name + ", platform=" + platform + ", token=" + (enabled() ? "(set)" : "(not set)")
                + ", apiUrl=" + apiUrl + ", gatewayUrl=" + gatewayUrl + ", admins=" + admins + ", communityPool="
                + communityPool + ", rolePlans=" + rolePlans + ", globalDailyCap=" + globalDailyCap + ", commands="
                + commands + ", guilds=" + guilds + ", shards=" + shards + ", shardIds=" + shardIds + ", mode=" + mode
                + ", webhookUrl=" + webhookUrl + ", webhookSecret=" + (webhookSecret == null ? "(not set)" : "(set)")
                + ", webhookPath=" + webhookPath + ", language=" + language + ", spendCaps=" + spendCaps + "]";
    }
}
