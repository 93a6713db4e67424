package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.chat.AdminNotices;
import dev.pictor.core.chat.AdminOperation;
import dev.pictor.core.chat.AdminWords;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobStats;
import dev.pictor.core.port.StatsPort;
import dev.pictor.core.text.StatsText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The quota commands of the bot's admins (user ids in the profile). The member is named by replying to one of their
 * messages with the command, or by their numeric user id as the first word:
 * {@code /plan <member> <plan|default>}, {@code /grant <member> <images>}, {@code /reset <member>},
 * {@code /block <member> [reason]}, {@code /unblock <member>}, and in a group {@code /pool <limits…|off|none|default>}
 * and {@code /language <tag|default>} (the words of {@link AdminWords}, the same as on Discord and the terminal) and
 * {@code /spendcap <amount|off|default>} (that group's daily spend cap), and {@code /stats}: the figures of the last
 * {@value #STATS_DAYS} days, in a group of that group, in a private chat of the whole bot (every job of this bot
 * profile).
 * Every change goes through the core's {@link AdminPort}, which writes the audit log. Each command is marked done
 * before it runs: at most once.
 */
final class AdminCommands implements TelegramCommand {
    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);
    static final List<String> NAMES = List.of("plan", "grant", "reset", "block", "unblock", "pool", "language", "spendcap", "stats");
    /** The days {@code /stats} counts, today included. */
    static final int STATS_DAYS = 7;

    private final AdminPort admin;
    private final StatsPort stats;
    private final AdminNotices notices;
    private final Outbox out;
    private final TelegramBotSettings settings;

    /**
     * @param admin the core's admin operations; null answers every admin command that it is not available
     * @param stats   the figures behind {@code /stats}; null answers it that it is not available
     * @param notices hears where an admin command succeeded (the message's own chat): where the admins are told what
     *                they did not ask for (the spend warning)
     */
    AdminCommands(AdminPort admin, StatsPort stats, AdminNotices notices, Outbox out, TelegramBotSettings settings) {
        this.admin = admin;
        this.stats = stats;
        this.notices = notices;
        this.out = out;
        this.settings = settings;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void run(Call call) {
        // at most once: marked done before the change, so that a crash after it cannot replay it (a grant given
        // twice); a crash before it leaves the admin without an answer, to ask again
        call.taken().run();
        if (admin == null || (stats == null && call.command().name().equals("stats"))) {
            out.tell(call.chatId(), call.messageId(), Messages.render(call.locale(), Msg.TELEGRAM_ADMIN_UNAVAILABLE));
            return;
        }
        run(call.command().name(), call.command().args(), call.message(), call.locale());
    }

    private void run(String name, String args, Message m, Locale locale) {
        long chatId = m.getChatId();
        int messageId = m.getMessageId();
        long from = m.getFrom().getId();
        if (!settings.isAdmin(from)) {
            out.tell(chatId, messageId, Messages.render(locale, Msg.TELEGRAM_ADMIN_ONLY, "command", name));
            return;
        }
        String actor = Members.PLATFORM + ":" + from;
        // where it is managed from: the message's own chat, the group (its community) or a private chat with the bot
        Runnable done = () -> notices.adminCommandDone(Members.PLATFORM, settings.name(),
                Members.isGroup(m.getChat()) ? String.valueOf(chatId) : null, String.valueOf(chatId));
        if (name.equals("stats")) {
            out.tell(chatId, messageId, stats(actor, m, args, locale, done));
            return;
        }
        var words = new ArrayList<>(args.isBlank() ? List.<String>of() : Arrays.asList(args.strip().split("\\s+")));
        AdminPort.AdminResult answer;
        try {
            answer = switch (name) {
                case "pool" -> pool(actor, m, args);
                case "language" -> language(actor, m, args);
                case "spendcap" -> spendCap(actor, m, words);
                default -> member(name, actor, m, words);
            };
        } catch (RuntimeException e) {
            log.error("admin command /{} by {} failed", name, actor, e);
            answer = refused(Text.of(Msg.ADMIN_FAILED));
        }
        if (answer.done()) done.run();
        out.tell(chatId, messageId, Messages.render(locale, answer.text()));
    }

    private static AdminPort.AdminResult refused(Text why) {
        return new AdminPort.AdminResult(false, why);
    }

    private AdminPort.AdminResult member(String name, String actor, Message m, List<String> words) {
        AdminPort.Member target = target(m, words);
        if (target == null) return usage();
        return switch (name) {
            case "plan" -> {
                if (words.size() != 1) yield usage();
                yield new AdminOperation.SetPlan(target, AdminWords.plan(words.getFirst())).run(admin, actor);
            }
            case "grant" -> {
                int images;
                try {
                    images = words.size() == 1 ? Integer.parseInt(words.getFirst()) : -1;
                } catch (NumberFormatException e) {
                    images = -1;
                }
                yield images < 1 ? refused(Text.of(Msg.TELEGRAM_ADMIN_GRANT_HOW)) : new AdminOperation.Grant(target, images).run(admin, actor);
            }
            case "reset" -> new AdminOperation.Reset(target).run(admin, actor);
            case "block" -> new AdminOperation.Block(target, words.isEmpty() ? null : String.join(" ", words)).run(admin, actor);
            case "unblock" -> new AdminOperation.Unblock(target).run(admin, actor);
            default -> usage();
        };
    }

    /** {@code /pool} in the vocabulary of {@link AdminWords}, always on the group it is sent in. */
    private AdminPort.AdminResult pool(String actor, Message m, String args) {
        if (!Members.isGroup(m.getChat())) return refused(Text.of(Msg.TELEGRAM_ADMIN_POOL_WHERE));
        return AdminWords.pool(args)
                .map(change -> new AdminOperation.SetPool(Members.PLATFORM, String.valueOf(m.getChatId()), change)
                        .run(admin, actor))
                .orElseGet(this::usage);
    }

    /** {@code /language <tag|default>}, always on the group it is sent in; with no tag, how to use it. */
    private AdminPort.AdminResult language(String actor, Message m, String args) {
        if (!Members.isGroup(m.getChat())) return refused(Text.of(Msg.TELEGRAM_ADMIN_LANGUAGE_WHERE));
        if (args.isBlank()) return usage();
        return new AdminOperation.SetLanguage(Members.PLATFORM, String.valueOf(m.getChatId()), AdminWords.language(args))
                .run(admin, actor);
    }

    /** {@code /spendcap <amount|off|default>}, always on the group it is sent in. */
    private AdminPort.AdminResult spendCap(String actor, Message m, List<String> words) {
        if (!Members.isGroup(m.getChat())) return refused(Text.of(Msg.TELEGRAM_ADMIN_SPENDCAP_WHERE));
        if (words.size() != 1) return usage();
        return new AdminOperation.SetSpendCap(Members.PLATFORM, String.valueOf(m.getChatId()), words.getFirst()).run(admin, actor);
    }

    /** {@code /stats}: in a group that group's figures, in a private chat the whole bot's. */
    private String stats(String actor, Message m, String args, Locale locale, Runnable done) {
        if (!args.isBlank()) return Messages.render(locale, Msg.TELEGRAM_ADMIN_STATS_HOW);
        var of = Members.isGroup(m.getChat()) ? new JobStats.Scope(Members.PLATFORM + ":" + m.getChatId(), null)
                : new JobStats.Scope(null, settings.name());
        try {
            String text = StatsText.render(locale, stats.read(of, STATS_DAYS), Outbox.MAX_TEXT);
            log.info("/stats by {}: {}", actor, of.community() == null ? "the whole bot" : of.community());
            done.run();
            return text;
        } catch (RuntimeException e) {
            log.error("/stats by {} failed", actor, e);
            return Messages.render(locale, Msg.ADMIN_FAILED);
        }
    }

    /** The member replied to (not a bot), or the numeric id taken off the front of {@code words}; null if neither. */
    private static AdminPort.Member target(Message m, List<String> words) {
        Message to = m.getReplyToMessage();
        User user = to == null ? null : to.getFrom();
        if (user != null && !Boolean.TRUE.equals(user.getIsBot())) {
            return new AdminPort.Member(Members.PLATFORM, String.valueOf(user.getId()));
        }
        if (!words.isEmpty() && words.getFirst().matches("\\d{1,20}")) {
            return new AdminPort.Member(Members.PLATFORM, words.removeFirst());
        }
        return null;
    }

    private AdminPort.AdminResult usage() {
        return refused(Text.of(Msg.TELEGRAM_ADMIN_USAGE, "plans", String.join(", ", admin.plans())));
    }
}
