package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.ModelCatalog;

import java.util.List;
import java.util.Locale;

/** {@code /help}: how to use the bot and which models there are. */
final class HelpCommand implements TelegramCommand {
    private final ModelCatalog catalog;
    private final String username;
    private final Outbox out;

    /** @param username the bot's @username, for the group examples ({@code /imagine@bot}) */
    HelpCommand(ModelCatalog catalog, String username, Outbox out) {
        this.catalog = catalog;
        this.username = username;
        this.out = out;
    }

    @Override
    public List<String> names() {
        return List.of("help");
    }

    @Override
    public String menuText(java.util.Locale locale) {
        return Messages.render(locale, Msg.TELEGRAM_MENU_HELP);
    }

    @Override
    public void run(Call call) {
        out.tell(call.chatId(), call.messageId(), text(call.locale()));
    }

    /** The help text in {@code locale}, read off the catalog of models as it is now. */
    String text(Locale locale) {
        return TelegramText.help(locale, catalog, username);
    }
}
