package dev.pictor.discord;

import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.ChatServices;
import dev.pictor.core.chat.RestartNotice;
import dev.pictor.core.port.JobView;
import dev.pictor.core.text.Messages;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.SelfUser;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Discord bot profile running: a JDA connection (or, when the profile sets shards, JDA's shard manager running
 * the chosen shards) serving {@code /imagine}, {@code /quota}, {@code /help}, the admin commands and the result
 * buttons. Needs no privileged gateway intents.
 */
public final class DiscordBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscordBot.class);

    private final DiscordBotSettings settings;
    private final Workers workers;
    private final DiscordListener listener;
    private final Chat chat;
    private DiscordConnection connection;
    private volatile JDA jda;
    private final Members members;
    private volatile ShardManager shards;
    private final IdentifyGate identify;

    public DiscordBot(DiscordBotSettings settings, ChatServices services) {
        this(settings, services, IdentifyGate.PROCESS);
    }

    /**
     * A bot whose shards take their IDENTIFY slots at {@code identify}, shared with the other processes that run
     * shards of it (see {@link ProfileSessionController}).
     */
    public DiscordBot(DiscordBotSettings settings, ChatServices services, IdentifyGate identify) {
        this.settings = settings;
        this.identify = identify;
        this.chat = services.chat();
        this.workers = new Workers(settings.name(), settings.workerThreads(), settings.maxPendingCommands());
        var members = new Members(settings, services.languages());
        this.members = members;
        var jobs = new JobStarter(chat, workers.timer(), new AckFirst(AckFirst.PATIENCE));
        var commands = new ArrayList<DiscordCommand>(List.of(
                new ImagineCommand(services.catalog(), services.parser(), members, workers, jobs),
                new QuotaCommand(services.quota(), members, workers),
                new HelpCommand(services.catalog(), members, workers)));
        if (services.admin() != null) {
            commands.add(new AdminCommand(services.admin(), services.stats(), services.notices(), settings.name(), members, workers));
        }
        var data = new ArrayList<CommandData>();
        commands.forEach(c -> data.add(c.data(settings.commandScope())));
        this.listener = new DiscordListener(commands, new JobButtons(chat, members, workers, jobs),
                new CommandRegistrar(settings, data), members, workers);
    }

    public DiscordBotSettings settings() {
        return settings;
    }

    /**
     * The permissions of the README's invite link: View Channels, Send Messages, Embed Links and Attach Files
     * (52224). pictor answers through interactions, which need none, but these keep it working in locked channels.
     */
    static final long INVITE_PERMISSIONS = Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES);

    /** The link that adds the application to a server with its slash commands ({@code bot applications.commands}). */
    static String inviteUrl(long applicationId) {
        return "https://discord.com/oauth2/authorize?client_id=" + Long.toUnsignedString(applicationId)
                + "&scope=bot+applications.commands&permissions=" + INVITE_PERMISSIONS;
    }

    /**
     * The bot as Discord knows it, for the operator at start: its user name and its invite link
     * ({@code pictor, invite: https://discord.com/oauth2/authorize?client_id=…}); null while no connection has
     * logged in yet.
     */
    public String introduction() {
        for (JDA j : connections()) {
            try {
                SelfUser me = j.getSelfUser();
                return me.getName() + ", invite: " + inviteUrl(me.getApplicationIdLong());
            } catch (IllegalStateException notLoggedIn) {
                // this shard has not logged in yet
            }
        }
        return null;
    }

    /** Logs in (this blocks for the REST login, not for the gateway) and starts receiving interactions. */
    public DiscordBot start() {
        return start(DiscordConnection.open(settings, identify));
    }

    /**
     * Serves on {@code connection}, opened for this bot's profile (perhaps while the rest of pictor was starting):
     * the events that waited for the bot are handled now, and global commands are registered at once rather than
     * after the gateway's READY (a REST call; it needs the login only).
     */
    public synchronized DiscordBot start(DiscordConnection connection) {
        if (this.connection != null) throw new IllegalStateException("bot " + settings.name() + " already started");
        this.connection = connection;
        connection.serve(listener);
        jda = connection.jda();
        shards = connection.shards();
        if (shards != null) {
            log.info("bot {}: starting shards {} of {}", settings.name(), settings.runShards(), settings.shardTotal());
        } else {
            log.info("bot {}: starting", settings.name());
            listener.registerCommands(jda);
        }
        String me = introduction();
        if (me != null) log.info("bot {}: logged in as {}", settings.name(), me);
        return this;
    }

    /**
     * Tells, by direct message, the members of this bot whose jobs a stopped process left unfinished (the store has
     * closed them, refunding what had not been posted) what reached them; nobody is told when everything had. Discord allows it while the member shares a server with the bot and
     * accepts DMs; otherwise it is only logged. Returns how many messages were queued.
     */
    public int tellInterrupted(List<JobView> jobs) {
        List<JDA> all = connections();
        if (all.isEmpty()) return 0;
        JDA any = all.getFirst();
        int queued = 0;
        for (RestartNotice notice : chat.restartNotices(jobs, Members.PLATFORM, settings.name())) {
            var who = notice.asker();
            var job = notice.job();
            // who asked is stored without a language: their server's (or the bot's)
            String text = DiscordText.interrupted(members.communityLocale(who), notice);
            any.openPrivateChannelById(who.userId())
                    .flatMap(dm -> dm.sendMessage(text).setAllowedMentions(Reply.NO_PINGS))
                    .queue(null, e -> log.info("bot {}: could not tell member {} about interrupted job {}: {}",
                            settings.name(), who.userId(), job.id(), e.toString()));
            queued++;
        }
        return queued;
    }

    /**
     * Posts {@code text} in the server channel {@code channel} (a text, news, voice or thread channel this process's
     * connections know), with no pings: for what the core tells admins unasked ({@link dev.pictor.core.port.ChatPost}).
     *
     * @throws IllegalStateException when no connection of this process knows the channel
     */
    public void post(String channel, String text) {
        for (JDA j : connections()) {
            var c = j.getChannelById(net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel.class, channel);
            if (c == null) continue;
            c.sendMessage(DiscordText.fit(text)).setAllowedMentions(Reply.NO_PINGS)
                    .queue(null, e -> log.warn("bot {}: could not post in channel {}: {}", settings.name(), channel, e.toString()));
            return;
        }
        throw new IllegalStateException("bot " + settings.name() + " knows no channel " + channel);
    }

    /** Waits until every connection of this process has received its servers. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bot " + settings.name() + " was not ready within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    /** Whether every connection this process runs is connected to Discord right now, for {@code /healthz}. */
    public boolean connected() {
        List<JDA> all = connections();
        return all.size() >= Math.max(1, settings.runShards().size())
                && all.stream().allMatch(j -> j.getStatus() == JDA.Status.CONNECTED);
    }

    /** The JDA connections (one, or one per shard this process runs). */
    public List<JDA> connections() {
        if (jda != null) return List.of(jda);
        if (shards != null) return List.copyOf(shards.getShardCache().asList());
        return List.of();
    }

    /** Disconnects, letting requests already queued finish (up to 10 s), then stops the workers. */
    @Override
    public synchronized void close() {
        try {
            if (connection != null) connection.close();
        } finally {
            connection = null;
            jda = null;
            shards = null;
            workers.close();
        }
    }
}
