package dev.pictor.telegram;

import dev.pictor.core.Requester;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.util.List;
import java.util.Locale;

/**
 * One bot command: the names it answers to and how it answers. {@link #run} runs on the chat's lane; the
 * {@link UpdateRouter} has already checked that the command is addressed to this bot.
 */
interface TelegramCommand {
    /** The names, lower case and without the slash, that reach this command. */
    List<String> names();

    /** The line shown in Telegram's command menu in {@code locale}, or null to keep the command out of the menu. */
    default String menuText(Locale locale) {
        return null;
    }

    void run(Call call);

    /**
     * A command as a member sent it.
     *
     * @param message the message that carried it
     * @param command the command parsed from its text
     * @param who     the member who sent it
     * @param taken   marks the update done (at once after {@link #run} returns, unless the command defers it)
     * @param locale  the sender's language ({@link Members#locale})
     */
    record Call(Message message, Command command, Requester who, Taken taken, Locale locale) {
        long chatId() {
            return message.getChatId();
        }

        int messageId() {
            return message.getMessageId();
        }
    }
}
