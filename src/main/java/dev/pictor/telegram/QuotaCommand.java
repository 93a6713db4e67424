package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.QuotaSummary;
import dev.pictor.core.port.QuotaPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** {@code /quota}: the member's plan, what is left of each limit and when more comes back. */
final class QuotaCommand implements TelegramCommand {
    private static final Logger log = LoggerFactory.getLogger(QuotaCommand.class);

    private final QuotaPort quota;
    private final Outbox out;

    QuotaCommand(QuotaPort quota, Outbox out) {
        this.quota = quota;
        this.out = out;
    }

    @Override
    public List<String> names() {
        return List.of("quota");
    }

    @Override
    public String menuText(java.util.Locale locale) {
        return Messages.render(locale, Msg.TELEGRAM_MENU_QUOTA);
    }

    @Override
    public void run(Call call) {
        String text;
        try {
            text = QuotaSummary.render(call.locale(), quota.view(call.who()), Members.PLATFORM);
        } catch (RuntimeException e) {
            log.error("quota view failed for {}", call.who().memberKey(), e);
            text = Messages.render(call.locale(), Msg.QUOTA_VIEW_UNREADABLE);
        }
        out.tell(call.chatId(), call.messageId(), text);
    }
}
