package dev.pictor.telegram;

import dev.pictor.core.ModelCatalog;

import java.util.List;

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
    public String menuText() {
        return "How to use the bot";
    }

    @Override
    public void run(Call call) {
        out.tell(call.chatId(), call.messageId(), text());
    }

    /** The help text, read off the catalog as it is now. */
    String text() {
        return Texts.help(catalog, username);
    }
}
