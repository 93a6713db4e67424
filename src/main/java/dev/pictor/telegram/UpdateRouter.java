package dev.pictor.telegram;

import dev.pictor.core.OptionParser;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.Requester;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routes an update to what answers it: a button press to the {@link JobButtons}, a command addressed to this bot
 * (in a group {@code /imagine@bot}, or one naming no bot) to its {@link TelegramCommand}, a reply to one of the bot's
 * messages to {@code /imagine}. Commands for other bots and chatter in groups get no answer.
 */
final class UpdateRouter {
    private final Map<String, TelegramCommand> commands = new LinkedHashMap<>();
    private final ImagineCommand imagine;
    private final JobButtons buttons;
    private final Outbox out;
    private final User me;
    private final String profile;
    private final LanguageChoice languages;

    /**
     * @param me        the bot as {@code getMe} reported it
     * @param profile   the profile's name, for the members' keys
     * @param languages which language each member is answered in
     */
    UpdateRouter(List<TelegramCommand> commands, ImagineCommand imagine, JobButtons buttons, Outbox out, User me,
                 String profile, LanguageChoice languages) {
        this.languages = languages;
        for (TelegramCommand c : commands) c.names().forEach(name -> this.commands.put(name, c));
        this.imagine = imagine;
        this.buttons = buttons;
        this.out = out;
        this.me = me;
        this.profile = profile;
    }

    /** Runs on the update's chat lane. */
    void handle(Update update, Taken taken) {
        if (update.hasCallbackQuery()) {
            buttons.handle(update.getCallbackQuery(), taken);
        } else if (update.hasMessage()) {
            onMessage(update.getMessage(), taken);
        }
    }

    private void onMessage(Message m, Taken taken) {
        User from = m.getFrom();
        String text = m.getText();
        if (from == null || Boolean.TRUE.equals(from.getIsBot()) || text == null) return; // media, service messages
        long chatId = m.getChatId();
        int messageId = m.getMessageId();
        boolean group = Members.isGroup(m.getChat());
        Requester who = Members.requester(from, m.getChat(), profile);
        Locale locale = Members.locale(from, who, languages);
        Command command = Command.parse(text);
        if (command != null) {
            if (!command.isFor(me.getUserName())) return; // addressed to another bot in the group
            TelegramCommand handler = commands.get(command.name());
            if (handler != null) {
                handler.run(new TelegramCommand.Call(m, command, who, taken, locale));
            } else if (!group || command.mention() != null) {
                out.tell(chatId, messageId, Messages.render(locale, Msg.TELEGRAM_UNKNOWN_COMMAND, "command", command.name()));
            }
        } else if (repliesToMe(m)) {
            imagine.run(who, locale, chatId, messageId, text, taken);
        } else if (!group) {
            out.tell(chatId, messageId, Messages.render(locale, Msg.TELEGRAM_HOW_TO,
                    "example", TelegramText.examplePrompt(locale, OptionParser.Flag.ASPECT)));
        }
    }

    private boolean repliesToMe(Message m) {
        Message to = m.getReplyToMessage();
        return to != null && to.getFrom() != null && me.getId().equals(to.getFrom().getId());
    }
}
