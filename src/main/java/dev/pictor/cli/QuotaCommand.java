package dev.pictor.cli;

import dev.pictor.app.QuotaWiring;
import dev.pictor.config.LoadedConfig;
import dev.pictor.core.Platform;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.QuotaSummary;

import dev.pictor.core.chat.AdminOperation;
import dev.pictor.core.chat.AdminWords;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.AdminPort.AdminResult;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendCaps;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * {@code pictor quota}: the admin operations from the terminal, on the same database as the running bots (SQLite
 * lets both use the file at once). Members and communities are written {@code platform:id}, e.g.
 * {@code discord:123456789012345678}; every change is written to the audit log as {@code cli:<login>} unless
 * {@code --as} says otherwise.
 */
@Command(name = "quota", mixinStandardHelpOptions = true, description = "Show or change members' and communities' quotas (each change is audited).")
final class QuotaCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final CliContext ctx;

    QuotaCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Who the audit log names. */
    static final class Actor {
        @Option(names = "--as", paramLabel = "WHO", description = "Who the audit log names (default: cli:<login>).")
        String actor;

        String name() {
            return actor != null && !actor.isBlank() ? actor.strip() : "cli:" + System.getProperty("user.name", "unknown");
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Set a member's plan; \"default\" or --clear takes them back to their role or default plan.")
    int plan(@Mixin ConfigOptions config, @Mixin Actor actor,
             @Parameters(index = "0", paramLabel = "MEMBER", description = "platform:user, e.g. discord:1234") String member,
             @Parameters(index = "1", arity = "0..1", paramLabel = "PLAN") String plan,
             @Option(names = "--clear", description = "Remove the member's plan override (the same as PLAN \"default\").") boolean clear) {
        if ((plan == null) != clear) return usage("give a PLAN, \"default\" or --clear");
        return admin(config, q -> new AdminOperation.SetPlan(member(member), AdminWords.plan(plan)).run(q, actor.name()));
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Give a member extra images, spent once their plan runs out; they do not expire.")
    int grant(@Mixin ConfigOptions config, @Mixin Actor actor,
              @Parameters(index = "0", paramLabel = "MEMBER") String member,
              @Parameters(index = "1", paramLabel = "IMAGES") int images) {
        return admin(config, q -> new AdminOperation.Grant(member(member), images).run(q, actor.name()));
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Give a member their plan's full allowance back.")
    int reset(@Mixin ConfigOptions config, @Mixin Actor actor, @Parameters(paramLabel = "MEMBER") String member) {
        return admin(config, q -> new AdminOperation.Reset(member(member)).run(q, actor.name()));
    }

    @Command(name = "block", mixinStandardHelpOptions = true, description = "Refuse every request of a member until unblocked.")
    int block(@Mixin ConfigOptions config, @Mixin Actor actor, @Parameters(paramLabel = "MEMBER") String member,
              @Option(names = "--reason", paramLabel = "TEXT", description = "Kept in the audit log.") String reason) {
        return admin(config, q -> new AdminOperation.Block(member(member), reason).run(q, actor.name()));
    }

    @Command(name = "unblock", mixinStandardHelpOptions = true, description = "Let a blocked member ask for images again.")
    int unblock(@Mixin ConfigOptions config, @Mixin Actor actor, @Parameters(paramLabel = "MEMBER") String member) {
        return admin(config, q -> new AdminOperation.Unblock(member(member)).run(q, actor.name()));
    }

    @Command(name = "pool", mixinStandardHelpOptions = true, description = "Set a community's shared pool (e.g. \"300/1d, 40/1h\"), off (or none, --off), or default (its bot's; --default).")
    int pool(@Mixin ConfigOptions config, @Mixin Actor actor,
             @Parameters(index = "0", paramLabel = "COMMUNITY", description = "platform:id, e.g. telegram:-1001234") String community,
             @Parameters(index = "1..*", arity = "0..*", paramLabel = "LIMIT", description = "Limits like 300/1d 40/1h, or off, none, default.") List<String> limits,
             @Option(names = "--off", description = "No shared pool for this community (the same as LIMIT off).") boolean off,
             @Option(names = "--default", description = "Back to the bot profile's pool (the same as LIMIT default).") boolean back) {
        var written = AdminWords.pool(limits == null ? "" : String.join(" ", limits));
        int ways = (written.isPresent() ? 1 : 0) + (off ? 1 : 0) + (back ? 1 : 0);
        if (ways != 1) return usage("give limits (e.g. 300/1d, 40/1h), off or default");
        AdminWords.PoolChange change = written.orElseGet(() -> off ? new AdminWords.PoolChange.Off() : new AdminWords.PoolChange.BackToDefault());
        String[] key = split(community, "COMMUNITY");
        if (key == null) return ExitCodes.USAGE;
        return admin(config, q -> new AdminOperation.SetPool(Platform.of(key[0]), key[1], change).run(q, actor.name()));
    }

    @Command(name = "language", mixinStandardHelpOptions = true, description = "Set the language a community's members read when pictor does not ship their own (en, es, de, fr, pt-BR, ru, ja), or default (its bot's).")
    int language(@Mixin ConfigOptions config, @Mixin Actor actor,
                 @Parameters(index = "0", paramLabel = "COMMUNITY", description = "platform:id, e.g. discord:123456789012345678") String community,
                 @Parameters(index = "1", paramLabel = "LANGUAGE", description = "A tag such as de or pt-BR, or default.") String language) {
        String[] key = split(community, "COMMUNITY");
        if (key == null) return ExitCodes.USAGE;
        return admin(config, q -> new AdminOperation.SetLanguage(Platform.of(key[0]), key[1], AdminWords.language(language)).run(q, actor.name()));
    }

    @Command(name = "spendcap", mixinStandardHelpOptions = true, description = "Set a community's daily spend cap in the configured currency (e.g. 5 or 0.50), off (or none), or default (its bot's, else the config's).")
    int spendcap(@Mixin ConfigOptions config, @Mixin Actor actor,
                 @Parameters(index = "0", paramLabel = "COMMUNITY", description = "platform:id, e.g. telegram:-1001234") String community,
                 @Parameters(index = "1", paramLabel = "CAP", description = "An amount such as 5 or 0.50, off, none or default.") String cap) {
        String[] key = split(community, "COMMUNITY");
        if (key == null) return ExitCodes.USAGE;
        return admin(config, q -> new AdminOperation.SetSpendCap(Platform.of(key[0]), key[1], cap).run(q, actor.name()));
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a member's plan, what is left of each limit, and recent admin actions.")
    int show(@Mixin ConfigOptions config, @Parameters(paramLabel = "MEMBER") String member,
             @Option(names = "--community", paramLabel = "ID", description = "The community, to show its pool.") String community,
             @Option(names = "--bot", paramLabel = "PROFILE", description = "The bot profile (its pool and cap).") String bot,
             @Option(names = "--role-plan", paramLabel = "PLAN", description = "The plan the member's roles give.") String rolePlan) {
        String[] key = split(member, "MEMBER");
        if (key == null) return ExitCodes.USAGE;
        return withQuota(config, q -> {
            var view = q.view(new Requester(Platform.of(key[0]), key[1], key[1], community, bot, rolePlan));
            ctx.out().println(member + "\n" + QuotaSummary.render(ctx.locale(), view, Platform.of(key[0])));
            var audit = q.audit(member, 5);
            if (!audit.isEmpty()) ctx.out().println("Recent admin actions:");
            for (var e : audit) {
                ctx.out().println("• " + TIME.format(e.at()) + " " + e.actor() + " " + e.action() + (e.detail() == null ? "" : " " + e.detail()));
            }
            return ExitCodes.OK;
        });
    }

    private int admin(ConfigOptions config, Function<AdminPort, AdminResult> op) {
        return withQuota(config, q -> {
            AdminResult result = op.apply(q);
            (result.done() ? ctx.out() : ctx.err()).println(result.message(ctx.locale()));
            return result.done() ? ExitCodes.OK : ExitCodes.REFUSED;
        });
    }

    private int withQuota(ConfigOptions config, Function<BucketQuota, Integer> work) {
        LoadedConfig loaded = config.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        try (Database db = Database.open(loaded.config().storage().url(), loaded.config().storage().user(),
                loaded.config().storage().password())) {
            var spend = new SpendCaps(db, QuotaWiring.spend(loaded.config(), loaded.bots()), Clock.systemUTC(), SpendCaps.Warnings.NONE);
            return work.apply(new BucketQuota(db, QuotaWiring.settings(loaded.config(), loaded.bots()), Clock.systemUTC(),
                    ChargeJournal.NONE, spend));
        } catch (BadMember e) {
            ctx.err().println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (StoreException e) {
            ctx.err().println("pictor quota: " + e.getMessage());
            return ExitCodes.STORAGE;
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }

    private static final class BadMember extends RuntimeException {
        BadMember(String message) {
            super(message);
        }
    }

    private static AdminPort.Member member(String text) {
        String[] key = parse(text);
        String problem = key == null ? "MEMBER is platform:user, e.g. discord:1234, not \"" + text + "\"" : memberProblem(key);
        if (problem != null) throw new BadMember(problem);
        return new AdminPort.Member(Platform.of(key[0]), key[1]);
    }

    /**
     * Why {@code platform:user} can never be a member pictor serves, or null: the platform must be one pictor runs
     * (or cli), and a Discord or Telegram user is their numeric id, never a name.
     */
    static String memberProblem(String[] key) {
        String id = key[1], shown = key[0] + ":" + id;
        var platform = Platform.find(key[0]);
        if (platform.isEmpty()) return shown + ": unknown platform \"" + key[0] + "\" (known: discord, telegram, cli)";
        return switch (platform.get()) {
            case DISCORD -> id.matches("[0-9]{1,20}") ? null : shown + ": a Discord member is their numeric user id,"
                    + " e.g. discord:123456789012345678 (Discord: Developer Mode, then Copy User ID), not a name";
            case TELEGRAM -> id.matches("[0-9]{1,19}") ? null : shown + ": a Telegram member is their numeric user id,"
                    + " e.g. telegram:123456789 (bots such as @userinfobot show it), not " + (id.startsWith("@") ? "an @username" : "a name");
            case CLI -> id.isBlank() || id.chars().anyMatch(Character::isWhitespace) ? shown + ": a terminal member is cli:<login>" : null;
        };
    }

    /** Why {@code platform:id} can never be a community (a Discord server, a Telegram group), or null. */
    static String communityProblem(String[] key) {
        String id = key[1], shown = key[0] + ":" + id;
        return switch (Platform.find(key[0]).orElse(Platform.CLI)) {
            case DISCORD -> id.matches("[0-9]{1,20}") ? null : shown + ": a Discord server is its numeric id,"
                    + " e.g. discord:123456789012345678 (Developer Mode, then Copy Server ID)";
            case TELEGRAM -> id.matches("-?[0-9]{1,19}") ? null : shown + ": a Telegram group is its numeric chat id,"
                    + " e.g. telegram:-1001234567890, not " + (id.startsWith("@") ? "an @username" : "a name");
            case CLI -> shown + ": unknown platform \"" + key[0] + "\" (known: discord, telegram)";
        };
    }

    private String[] split(String text, String what) {
        String[] key = parse(text);
        String problem = key == null ? what + " is platform:id, e.g. discord:1234, not \"" + text + "\""
                : what.equals("COMMUNITY") ? communityProblem(key) : memberProblem(key);
        if (problem != null) {
            ctx.err().println(problem);
            ctx.err().flush();
            return null;
        }
        return key;
    }

    private static String[] parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 1 || colon == text.length() - 1) return null;
        return new String[]{text.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), text.substring(colon + 1).strip()};
    }

    private int usage(String message) {
        ctx.err().println("pictor quota: " + message);
        ctx.err().flush();
        return ExitCodes.USAGE;
    }
}
