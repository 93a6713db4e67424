package dev.pictor.telegram;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.ButtonResult;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.Press;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The buttons under a result. Each press is answered (Telegram shows a spinner until then), then acted on:
 * Re-roll asks again with a new seed, charged to whoever pressed; Details shows what the ledger recorded; Delete
 * removes the result, for the member who asked or the bot's admins. Everything is looked up by job id in the
 * ledger, so buttons keep working after a restart.
 *
 * <p>The callback data is the client's word and may be forged: it is trusted only for "which job, which action".
 * A press acts only when the message it was pressed on (as Telegram reports it, chat and message id) is one the
 * ledger recorded as that job's own post; Delete removes exactly the messages the ledger recorded for the job in
 * that chat. The rules are the core's {@link Chat}; this class reads the press and renders the answer.
 */
final class JobButtons {
    private static final Logger log = LoggerFactory.getLogger(JobButtons.class);

    private final Chat chat;
    private final ImagineCommand imagine;
    private final Outbox out;
    private final TelegramBotSettings settings;
    private final LanguageChoice languages;

    JobButtons(Chat chat, ImagineCommand imagine, Outbox out, TelegramBotSettings settings, LanguageChoice languages) {
        this.languages = languages;
        this.chat = chat;
        this.imagine = imagine;
        this.out = out;
        this.settings = settings;
    }

    /** Handles a press; a Re-roll hands {@code taken} to its job. */
    void handle(CallbackQuery query, Taken taken) {
        MaybeInaccessibleMessage message = query.getMessage();
        ButtonIds data = ButtonIds.parse(query.getData());
        Requester presserAsker = Members.requester(query.getFrom(), message == null ? null : message.getChat(), settings.name());
        Locale locale = Members.locale(query.getFrom(), presserAsker, languages);
        if (data == null || message == null || message.getChat() == null) {
            out.answer(query.getId(), Messages.render(locale, Msg.TELEGRAM_BUTTON_GONE), false);
            return;
        }
        long chatId = message.getChatId();
        int messageId = message.getMessageId();
        long presser = query.getFrom().getId();
        // the chat and message are Telegram's own report of where the button was pressed, never the callback data
        var press = new Press(data.jobId(), String.valueOf(chatId), String.valueOf(messageId), Members.PLATFORM,
                String.valueOf(presser), settings.isAdmin(presser));
        ButtonResult result;
        try {
            result = switch (data.action()) {
                case REROLL -> chat.reroll(press, presserAsker);
                case DETAILS -> chat.details(press);
                case DELETE -> chat.delete(press);
            };
        } catch (RuntimeException e) {
            log.error("job {}: ledger lookup failed", data.jobId(), e);
            out.answer(query.getId(), Messages.render(locale, Msg.TELEGRAM_BUTTON_ERROR), true);
            return;
        }
        switch (result) {
            case ButtonResult.Gone gone -> out.answer(query.getId(), Messages.render(locale, switch (data.action()) {
                case REROLL -> Msg.TELEGRAM_GONE_REROLL;
                case DETAILS -> Msg.TELEGRAM_GONE_DETAILS;
                case DELETE -> Msg.TELEGRAM_GONE_DELETE;
            }), true);
            case ButtonResult.Refused r -> out.answer(query.getId(), r.refusal().message(locale), true);
            case ButtonResult.Reroll r -> {
                out.answer(query.getId(), Messages.render(locale, Msg.TELEGRAM_REROLLING), false);
                imagine.submit(r.request(), locale, chatId, messageId, taken);
            }
            case ButtonResult.Details d -> {
                out.answer(query.getId(), null, false);
                out.tell(chatId, messageId, TelegramText.details(locale, d.details()));
            }
            case ButtonResult.NotYours n -> out.answer(query.getId(), Messages.render(locale, Msg.TELEGRAM_NOT_YOURS), true);
            case ButtonResult.Delete d -> delete(query, locale, chatId, d.messages());
        }
    }

    private void delete(CallbackQuery query, Locale locale, long chatId, List<String> messages) {
        var ids = new ArrayList<Integer>();
        for (String m : messages) ids.add(Integer.valueOf(m));
        boolean deleted;
        try {
            deleted = out.delete(chatId, ids);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleted = false;
        }
        out.answer(query.getId(), Messages.render(locale, deleted ? Msg.TELEGRAM_DELETED : Msg.TELEGRAM_DELETE_FAILED), !deleted);
    }
}
