package dev.pictor.config;

import dev.pictor.core.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code bots/<name>.yaml}: one bot. {@code name} is the file's name. {@code token} empty means the profile is
 * skipped (not an error). {@code api-url} is the platform's API base (Telegram Bot API; Discord REST) and
 * {@code gateway-url} Discord's gateway, so that a deployment or a test can point the bot elsewhere. {@code admins}
 * are user ids allowed the admin commands; {@code community-pool} limits each community as a whole; {@code
 * global-daily-cap} limits the whole bot per day. Discord only: {@code role-plans} (role id → plan), {@code commands}
 * ({@code global} or {@code guild}, with {@code guilds}), {@code shards} (the total) and {@code shard-ids} (which of
 * them this process runs; empty: all).
 */
public record BotProfile(String name, Platform platform, String token, String apiUrl, String gatewayUrl,
                         List<String> admins, CommunityPool communityPool, Map<String, String> rolePlans,
                         Integer globalDailyCap, CommandScope commands, List<String> guilds, Integer shards,
                         List<Integer> shardIds) {
    public static final String DISCORD_API_URL = "https://discord.com/api/v10";
    public static final String DISCORD_GATEWAY_URL = "wss://gateway.discord.gg";
    public static final String TELEGRAM_API_URL = "https://api.telegram.org";
    private static final Pattern ID = Pattern.compile("\\d{1,20}");

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
            } else {
                c.check(!Values.isUrl(apiUrl, "http", "https") || Values.pathOf(apiUrl).isEmpty(), "api-url",
                        "must have no path (the Bot API client adds /bot<token>/<method>), e.g. " + TELEGRAM_API_URL);
                c.check(gatewayUrl == null, "gateway-url", "only for discord profiles");
                c.check(rolePlans.isEmpty(), "role-plans", "only for discord profiles");
                c.check(commands == null, "commands", "only for discord profiles");
                c.check(guilds.isEmpty(), "guilds", "only for discord profiles");
                c.check(shards == null, "shards", "only for discord profiles");
                c.check(shardIds.isEmpty(), "shard-ids", "only for discord profiles");
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
        c.throwIfAny();
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
                + commands + ", guilds=" + guilds + ", shards=" + shards + ", shardIds=" + shardIds + "]";
    }
}
