package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;

import java.util.List;

/** {@code /start}, which Telegram sends when a member opens the bot: a greeting and the help text. */
final class StartCommand implements TelegramCommand {
    private final HelpCommand help;
    private final Outbox out;

    StartCommand(HelpCommand help, Outbox out) {
        this.help = help;
        this.out = out;
    }

    @Override
    public List<String> names() {
        return List.of("start");
    }

    @Override
    public void run(Call call) {
        out.tell(call.chatId(), call.messageId(), Messages.render(call.locale(), Msg.TELEGRAM_START) + "\n\n" + help.text(call.locale()));
    }
}
