package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import dev.pictor.core.text.Languages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.chat.AdminNotices;
import dev.pictor.core.chat.AdminOperation;
import dev.pictor.core.chat.AdminWords;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobStats;
import dev.pictor.core.port.StatsPort;
import dev.pictor.core.text.StatsText;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * {@code /pictor plan|grant|reset|block|unblock|pool|language|spendcap|stats}: the admin operations from the chat, in
 * servers where pictor is installed. Two scopes ({@link Members.AdminScope}):
 * <ul>
 *   <li>a server's admins (Manage Server there) may set that server's pool, language and daily spend cap and read its
 *       figures ({@code stats}), and nothing else: they always act on the server the interaction comes from, never on
 *       one named in an option;</li>
 *   <li>the profile's admins ({@code admins}) may also change a member's plan, grant images, reset and block or
 *       unblock — changes that hold in every server, so no server's own admins may make them — and their
 *       {@code stats} are the whole bot's (every job of this bot profile).</li>
 * </ul>
 * Discord shows the command only to members with Manage Server ({@code default_member_permissions}); since a server
 * can change that, every use is checked again here against the scope. Answers are private; the operations write the
 * audit log.
 */
final class AdminCommand implements DiscordCommand {
    private static final Logger log = LoggerFactory.getLogger(AdminCommand.class);
    static final String NAME = "pictor";
    /** The plan choice that removes a member's own plan (back to their role plan or the default). */
    static final String DEFAULT_PLAN = AdminWords.DEFAULT;
    /** The answer to a server's admin who asks for a change that would hold in every server. */
    static final Text BOT_WIDE_ONLY = Text.of(Msg.DISCORD_ADMIN_BOT_WIDE_ONLY);
    /** What a server's own admins may change: its pool and its language, always of the server the event came from. */
    private static final java.util.Set<String> SERVER_SUBCOMMANDS = java.util.Set.of("pool", "language", "spendcap", "stats");
    /** The days {@code /pictor stats} counts, today included. */
    static final int STATS_DAYS = 7;

    private final AdminPort admin;
    private final StatsPort stats;
    private final AdminNotices notices;
    private final String bot;
    private final Members members;
    private final Workers workers;

    /**
     * @param stats   the figures behind {@code /pictor stats}; null leaves that subcommand out
     * @param notices hears where a command succeeded (the interaction's channel): where the server's admins are told
     *                what they did not ask for (the spend warning)
     * @param bot   this bot profile's name: the whole bot, for its own admins' {@code stats}
     */
    AdminCommand(AdminPort admin, StatsPort stats, AdminNotices notices, String bot, Members members, Workers workers) {
        this.admin = admin;
        this.stats = stats;
        this.notices = notices;
        this.bot = bot;
        this.members = members;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data(CommandScope scope) {
        var texts = new CommandTexts();
        var plan = new OptionData(OptionType.STRING, "plan", texts.describe(NAME + ".plan.options.plan", Msg.DISCORD_ADMIN_OPTION_PLAN), true);
        var plans = admin.plans().stream().sorted().limit(OptionData.MAX_CHOICES - 1).toList();
        plans.forEach(p -> plan.addChoice(p, p));
        plan.addChoice(DEFAULT_PLAN, DEFAULT_PLAN);
        SlashCommandData data = Commands.slash(NAME, texts.describe(NAME, Msg.DISCORD_ADMIN_COMMAND))
                .addSubcommands(
                        new SubcommandData("plan", texts.describe(NAME + ".plan", Msg.DISCORD_ADMIN_PLAN)).addOptions(member(texts, "plan"), plan),
                        new SubcommandData("grant", texts.describe(NAME + ".grant", Msg.DISCORD_ADMIN_GRANT))
                                .addOptions(member(texts, "grant"), new OptionData(OptionType.INTEGER, "images",
                                        texts.describe(NAME + ".grant.options.images", Msg.DISCORD_ADMIN_OPTION_IMAGES), true)
                                        .setRequiredRange(1, 10_000)),
                        new SubcommandData("reset", texts.describe(NAME + ".reset", Msg.DISCORD_ADMIN_RESET)).addOptions(member(texts, "reset")),
                        new SubcommandData("block", texts.describe(NAME + ".block", Msg.DISCORD_ADMIN_BLOCK))
                                .addOptions(member(texts, "block"), new OptionData(OptionType.STRING, "reason",
                                        texts.describe(NAME + ".block.options.reason", Msg.DISCORD_ADMIN_OPTION_REASON))
                                        .setMaxLength(200)),
                        new SubcommandData("unblock", texts.describe(NAME + ".unblock", Msg.DISCORD_ADMIN_UNBLOCK)).addOptions(member(texts, "unblock")),
                        language(texts),
                        new SubcommandData("pool", texts.describe(NAME + ".pool", Msg.DISCORD_ADMIN_POOL))
                                .addOptions(new OptionData(OptionType.STRING, "limits",
                                        texts.describe(NAME + ".pool.options.limits", Msg.DISCORD_ADMIN_OPTION_LIMITS), true)
                                        .setMaxLength(200)),
                        new SubcommandData("spendcap", texts.describe(NAME + ".spendcap", Msg.DISCORD_ADMIN_SPENDCAP))
                                .addOptions(new OptionData(OptionType.STRING, "cap",
                                        texts.describe(NAME + ".spendcap.options.cap", Msg.DISCORD_ADMIN_OPTION_CAP), true)
                                        .setMaxLength(20)))
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER));
        if (stats != null) data.addSubcommands(new SubcommandData("stats", texts.describe(NAME + ".stats", Msg.DISCORD_ADMIN_STATS)));
        data.setLocalizationFunction(texts);
        if (scope == CommandScope.GLOBAL) {
            data.setContexts(InteractionContextType.GUILD).setIntegrationTypes(IntegrationType.GUILD_INSTALL);
        }
        return data;
    }

    /** {@code /pictor language}: this server's language, picked by its own name, or {@code default} (the bot's). */
    private static SubcommandData language(CommandTexts texts) {
        var language = new OptionData(OptionType.STRING, "language",
                texts.describe(NAME + ".language.options.language", Msg.DISCORD_ADMIN_OPTION_LANGUAGE), true);
        for (Locale l : Languages.SHIPPED) language.addChoice(Languages.nativeName(l), Languages.tag(l));
        language.addChoice(AdminWords.DEFAULT, AdminWords.DEFAULT);
        return new SubcommandData("language", texts.describe(NAME + ".language", Msg.DISCORD_ADMIN_LANGUAGE)).addOptions(language);
    }

    private static OptionData member(CommandTexts texts, String sub) {
        return new OptionData(OptionType.USER, "member", texts.describe(NAME + "." + sub + ".options.member", Msg.DISCORD_ADMIN_OPTION_MEMBER), true);
    }

    @Override
    public void handle(SlashCommandInteractionEvent event) {
        event.deferReply(true).queue(null, e -> log.warn("could not acknowledge /pictor: {}", e.toString()));
        Reply reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL, () -> members.locale(event));
        if (!event.isFromAttachedGuild()) {
            reply.tell(Text.of(Msg.DISCORD_ADMIN_SERVERS_ONLY));
            return;
        }
        Members.AdminScope scope = members.adminScope(event);
        if (scope == Members.AdminScope.NONE) {
            reply.tell(Text.of(Msg.DISCORD_ADMIN_NOT_ALLOWED));
            return;
        }
        String actor = Members.PLATFORM + ":" + event.getUser().getId();
        String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
        // where it is managed from: the server and the channel of the interaction itself, never an option's
        String server = event.getGuild().getId(), channel = event.getChannelId();
        Runnable done = () -> notices.adminCommandDone(Members.PLATFORM, bot, server, channel);
        if (!SERVER_SUBCOMMANDS.contains(sub) && scope != Members.AdminScope.BOT) {
            log.info("/pictor {} by {}: refused, a server admin asked for a bot-wide change", sub, actor);
            reply.tell(BOT_WIDE_ONLY);
            return;
        }
        if (sub.equals("stats") && stats != null) {
            // a server's admins: the server the interaction comes from; the bot's admins: every job of this bot
            var of = scope == Members.AdminScope.BOT ? new JobStats.Scope(null, bot)
                    : new JobStats.Scope(Members.PLATFORM + ":" + event.getGuild().getId(), null);
            workers.offer(() -> stats(of, reply, actor, done), reply);
            return;
        }
        User target = event.getOption("member", OptionMapping::getAsUser);
        var who = target == null ? null : new AdminPort.Member(Members.PLATFORM, target.getId());
        String guild = event.getGuild().getId();
        AdminOperation op = operation(event, sub, who, guild);
        if (op == null) {
            reply.tell(DiscordText.unknownCommand());
            return;
        }
        if (op.botWide() && scope != Members.AdminScope.BOT) { // the check above, again on what will actually run
            reply.tell(BOT_WIDE_ONLY);
            return;
        }
        workers.offer(() -> run(op, reply, actor, sub, done), reply);
    }

    /**
     * The operation the subcommand asks for; {@code pool} and {@code spendcap} always on {@code guild}, the server the
     * event came from.
     */
    private static AdminOperation operation(SlashCommandInteractionEvent event, String sub, AdminPort.Member who, String guild) {
        if (sub.equals("pool")) {
            // Discord requires the option; a blank one goes back to the bot's pool, as before
            String limits = event.getOption("limits", "", OptionMapping::getAsString);
            var change = AdminWords.pool(limits).orElse(new AdminWords.PoolChange.BackToDefault());
            return new AdminOperation.SetPool(Members.PLATFORM, guild, change);
        }
        if (sub.equals("spendcap")) {
            return new AdminOperation.SetSpendCap(Members.PLATFORM, guild, event.getOption("cap", "", OptionMapping::getAsString));
        }
        if (sub.equals("language")) {
            return new AdminOperation.SetLanguage(Members.PLATFORM, guild,
                    AdminWords.language(event.getOption("language", "", OptionMapping::getAsString)));
        }
        if (who == null) return null;
        return switch (sub) {
            case "plan" -> new AdminOperation.SetPlan(who, AdminWords.plan(event.getOption("plan", OptionMapping::getAsString)));
            case "grant" -> new AdminOperation.Grant(who,
                    event.getOption("images", 0, m -> (int) Math.min(Integer.MAX_VALUE, m.getAsLong())));
            case "reset" -> new AdminOperation.Reset(who);
            case "block" -> new AdminOperation.Block(who, event.getOption("reason", OptionMapping::getAsString));
            case "unblock" -> new AdminOperation.Unblock(who);
            default -> null;
        };
    }

    private void run(AdminOperation op, Reply reply, String actor, String sub, Runnable done) {
        AdminPort.AdminResult result;
        try {
            result = op.run(admin, actor);
        } catch (RuntimeException e) {
            log.error("/pictor {} by {} failed", sub, actor, e);
            reply.tell(Text.of(Msg.ADMIN_FAILED));
            return;
        }
        log.info("/pictor {} by {}: {}", sub, actor, result.done() ? "done" : "refused");
        if (result.done()) done.run();
        reply.show(result.text());
    }

    private void stats(JobStats.Scope of, Reply reply, String actor, Runnable done) {
        String text;
        try {
            text = StatsText.render(reply.locale(), stats.read(of, STATS_DAYS), DiscordText.MAX_CONTENT);
        } catch (RuntimeException e) {
            log.error("/pictor stats by {} failed", actor, e);
            reply.tell(Text.of(Msg.ADMIN_FAILED));
            return;
        }
        log.info("/pictor stats by {}: {}", actor, of.community() == null ? "the whole bot" : of.community());
        done.run();
        reply.show(text);
    }
}
