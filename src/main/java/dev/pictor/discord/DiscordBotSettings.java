package dev.pictor.discord;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Discord bot profile ({@code bots/<name>.yaml}, {@code platform: discord}), validated on construction. Every
 * mistake is an {@link IllegalArgumentException} whose message starts with the profile key at fault, so that the
 * loader can prefix the file name.
 *
 * @param name              the profile's name (the file's base name); recorded on every job as the bot profile
 * @param token             the bot token; never printed ({@link #toString()} hides it)
 * @param apiUrl            Discord's REST base ({@code api-url}), e.g. {@code https://discord.com/api/v10/}
 * @param gatewayUrl        the gateway websocket ({@code gateway-url}), e.g. {@code wss://gateway.discord.gg}
 * @param gatewayCompression whether the gateway stream is zlib-compressed (on for Discord; a local fake speaks plain JSON)
 * @param commandScope      where the slash commands are registered: globally, or only in {@code guildIds}
 * @param guildIds          the servers to register commands in when the scope is {@link CommandScope#GUILDS}
 * @param shardTotal        total shards of the application; 0 runs one unsharded connection
 * @param shardIds          which shards this process runs (empty: all of {@code shardTotal})
 * @param rolePlans         Discord role (id or name) → quota plan, first match wins, in the order given
 * @param adminUserIds      pictor's own admins: every {@code /pictor} subcommand in every server, including the
 *                          bot-wide ones (a member's plan, grants, resets, blocks); Manage Server in a server only
 *                          lets its admins set that server's pool
 * @param workerThreads     threads that validate commands and read the quota or ledger after the acknowledgement
 * @param maxPendingCommands commands that may wait for a worker before members are told to try again
 */
public record DiscordBotSettings(String name, String token, String apiUrl, String gatewayUrl, boolean gatewayCompression,
                                 CommandScope commandScope, List<String> guildIds, int shardTotal, List<Integer> shardIds,
                                 Map<String, String> rolePlans, List<String> adminUserIds,
                                 int workerThreads, int maxPendingCommands) {
    public static final String DEFAULT_API_URL = "https://discord.com/api/v10/";
    public static final String DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg";

    /** Where slash commands are registered. */
    public enum CommandScope {
        /** For every server and DM (takes up to an hour to show up on Discord's side the first time). */
        GLOBAL,
        /** Only in the listed servers (shows up at once; handy while testing). */
        GUILDS
    }

    public DiscordBotSettings {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: a bot profile needs a name");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token: the Discord bot token is missing (set DISCORD_TOKEN)");
        }
        apiUrl = url("api-url", apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.strip(), "http", "https");
        if (!apiUrl.endsWith("/")) apiUrl = apiUrl + "/";
        gatewayUrl = url("gateway-url", gatewayUrl == null || gatewayUrl.isBlank() ? DEFAULT_GATEWAY_URL : gatewayUrl.strip(),
                "ws", "wss");
        commandScope = commandScope == null ? CommandScope.GLOBAL : commandScope;
        guildIds = List.copyOf(guildIds == null ? List.of() : guildIds);
        for (String id : guildIds) snowflake("guild-ids", id);
        if (commandScope == CommandScope.GUILDS && guildIds.isEmpty()) {
            throw new IllegalArgumentException("guild-ids: command-scope 'guilds' needs at least one server id");
        }
        if (shardTotal < 0) throw new IllegalArgumentException("shards.total: must be 0 (no sharding) or more, not " + shardTotal);
        shardIds = List.copyOf(shardIds == null ? List.of() : shardIds);
        if (!shardIds.isEmpty() && shardTotal == 0) {
            throw new IllegalArgumentException("shards.ids: set shards.total as well");
        }
        for (int id : shardIds) {
            if (id < 0 || id >= shardTotal) {
                throw new IllegalArgumentException("shards.ids: shard " + id + " is outside 0.." + (shardTotal - 1));
            }
        }
        var plans = new LinkedHashMap<String, String>();
        if (rolePlans != null) {
            rolePlans.forEach((role, plan) -> {
                if (role == null || role.isBlank()) throw new IllegalArgumentException("role-plans: a role is blank");
                if (plan == null || plan.isBlank()) {
                    throw new IllegalArgumentException("role-plans." + role + ": names no plan");
                }
                plans.put(role.strip(), plan.strip());
            });
        }
        rolePlans = Collections.unmodifiableMap(plans);
        adminUserIds = List.copyOf(adminUserIds == null ? List.of() : adminUserIds);
        for (String id : adminUserIds) snowflake("admin-user-ids", id);
        if (workerThreads < 1) throw new IllegalArgumentException("worker-threads: must be at least 1");
        if (maxPendingCommands < 1) throw new IllegalArgumentException("max-pending-commands: must be at least 1");
    }

    /** A profile with every optional key at its default. */
    public static DiscordBotSettings of(String name, String token) {
        return new DiscordBotSettings(name, token, null, null, true, CommandScope.GLOBAL, List.of(), 0, List.of(),
                Map.of(), List.of(), 4, 2_000);
    }

    public DiscordBotSettings withEndpoints(String api, String gateway, boolean compression) {
        return new DiscordBotSettings(name, token, api, gateway, compression, commandScope, guildIds, shardTotal, shardIds,
                rolePlans, adminUserIds, workerThreads, maxPendingCommands);
    }

    public DiscordBotSettings withCommandScope(CommandScope scope, List<String> guilds) {
        return new DiscordBotSettings(name, token, apiUrl, gatewayUrl, gatewayCompression, scope, guilds, shardTotal,
                shardIds, rolePlans, adminUserIds, workerThreads, maxPendingCommands);
    }

    public DiscordBotSettings withShards(int total, List<Integer> ids) {
        return new DiscordBotSettings(name, token, apiUrl, gatewayUrl, gatewayCompression, commandScope, guildIds, total,
                ids, rolePlans, adminUserIds, workerThreads, maxPendingCommands);
    }

    public DiscordBotSettings withRolePlans(Map<String, String> plans) {
        return new DiscordBotSettings(name, token, apiUrl, gatewayUrl, gatewayCompression, commandScope, guildIds,
                shardTotal, shardIds, plans, adminUserIds, workerThreads, maxPendingCommands);
    }

    public DiscordBotSettings withAdmins(List<String> userIds) {
        return new DiscordBotSettings(name, token, apiUrl, gatewayUrl, gatewayCompression, commandScope, guildIds,
                shardTotal, shardIds, rolePlans, userIds, workerThreads, maxPendingCommands);
    }

    public DiscordBotSettings withWorkers(int threads, int maxPending) {
        return new DiscordBotSettings(name, token, apiUrl, gatewayUrl, gatewayCompression, commandScope, guildIds,
                shardTotal, shardIds, rolePlans, adminUserIds, threads, maxPending);
    }

    public boolean sharded() {
        return shardTotal > 0;
    }

    /** The shards this process runs: the listed ones, or all of them. */
    public List<Integer> runShards() {
        if (!sharded()) return List.of();
        if (!shardIds.isEmpty()) return shardIds;
        var all = new ArrayList<Integer>();
        for (int i = 0; i < shardTotal; i++) all.add(i);
        return all;
    }

    @Override
    public String toString() {
        return "DiscordBotSettings[name=" + name + ", token=***, apiUrl=" + apiUrl + ", gatewayUrl=" + gatewayUrl
                + ", commandScope=" + commandScope + ", guildIds=" + guildIds + ", shardTotal=" + shardTotal
                + ", shardIds=" + shardIds + ", rolePlans=" + rolePlans + ", adminUserIds=" + adminUserIds + "]";
    }

    private static String url(String key, String value, String... schemes) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": not a URL: " + value);
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !List.of(schemes).contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException(key + ": expected a " + String.join(" or ", schemes) + " URL, not " + value);
        }
        return value;
    }

    private static void snowflake(String key, String id) {
        Objects.requireNonNull(id, key);
        if (id.isEmpty() || id.length() > 20 || !id.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(key + ": '" + id + "' is not a Discord id (digits only)");
        }
    }
}
