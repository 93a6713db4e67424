package dev.pictor.discord;

import dev.pictor.config.BotProfile;
import dev.pictor.config.CommandScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the Discord adapter needs of one bot profile at run time. The profile itself ({@link BotProfile}: its keys,
 * their defaults and every check of them) is read and validated once, by the configuration; this record copies its
 * values and adds only what is the adapter's own (the gateway's compression, the worker pool). Nothing here has a
 * default of its own or checks a key again.
 *
 * @param name              the profile's name (the file's base name); recorded on every job as the bot profile
 * @param token             the bot token; never printed ({@link #toString()} hides it)
 * @param apiUrl            Discord's REST base as the profile writes it ({@code api-url}, no trailing slash);
 *                          {@link #restBase()} is the form JDA wants
 * @param gatewayUrl        the gateway websocket ({@code gateway-url}), e.g. {@code wss://gateway.discord.gg}
 * @param gatewayCompression whether the gateway stream is zlib-compressed (on for Discord; a local fake speaks plain JSON)
 * @param commandScope      where the slash commands are registered: globally, or only in {@code guildIds}
 * @param guildIds          the servers to register commands in when the scope is {@link CommandScope#GUILD}
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
    /** The adapter's own defaults: they are not profile keys. */
    public static final int WORKER_THREADS = 4;
    public static final int MAX_PENDING_COMMANDS = 2_000;

    public DiscordBotSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Objects.requireNonNull(commandScope, "commandScope");
        guildIds = List.copyOf(guildIds);
        shardIds = List.copyOf(shardIds);
        rolePlans = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rolePlans));
        adminUserIds = List.copyOf(adminUserIds);
        if (workerThreads < 1 || maxPendingCommands < 1) throw new IllegalArgumentException("workers: at least 1 each");
    }

    /**
     * The run-time view of a validated profile. The gateway stream is compressed for Discord ({@code wss://}) and
     * plain for a local server on {@code ws://} (a test or a proxy); one shard is no sharding.
     */
    public static DiscordBotSettings of(BotProfile p) {
        int shards = p.shards() == null ? 1 : p.shards();
        return new DiscordBotSettings(p.name(), p.token(), p.apiUrl(), p.gatewayUrl(), !p.gatewayUrl().startsWith("ws://"),
                p.commands(), p.guilds(), shards > 1 || !p.shardIds().isEmpty() ? shards : 0, p.shardIds(),
                p.rolePlans(), p.admins(), WORKER_THREADS, MAX_PENDING_COMMANDS);
    }

    /** JDA's REST base: the profile's {@code api-url} with the trailing slash JDA expects. */
    public String restBase() {
        return apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    }

    /** A profile with every optional key at its default (the defaults are {@link BotProfile}'s). */
    public static DiscordBotSettings of(String name, String token) {
        return of(new BotProfile(name, dev.pictor.core.Platform.DISCORD, token, null, null, null, null, null, null, null,
                null, null, null));
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
}
