package dev.pictor.telegram;

import dev.pictor.core.chat.ButtonResult;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.Press;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;

import java.util.ArrayList;
import java.util.List;

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
final class ButtonPresses {
    private static final Logger log = LoggerFactory.getLogger(ButtonPresses.class);

    private final Chat chat;
    private final ImagineCommand imagine;
    private final Outbox out;
    private final TelegramBotSettings settings;

    ButtonPresses(Chat chat, ImagineCommand imagine, Outbox out, TelegramBotSettings settings) {
        this.chat = chat;
        this.imagine = imagine;
        this.out = out;
        this.settings = settings;
    }

    /** Handles a press; a Re-roll hands {@code taken} to its job. */
    void handle(CallbackQuery query, Taken taken) {
        MaybeInaccessibleMessage message = query.getMessage();
        ButtonData data = ButtonData.parse(query.getData());
        if (data == null || message == null || message.getChat() == null) {
            out.answer(query.getId(), "This button no longer works.", false);
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
                case REROLL -> chat.reroll(press, Members.requester(query.getFrom(), message.getChat(), settings.name()));
                case DETAILS -> chat.details(press);
                case DELETE -> chat.delete(press);
            };
        } catch (RuntimeException e) {
            log.error("job {}: ledger lookup failed", data.jobId(), e);
            out.answer(query.getId(), "Something went wrong on our side; please try again.", true);
            return;
        }
        switch (result) {
            case ButtonResult.Gone gone -> out.answer(query.getId(), switch (data.action()) {
                case REROLL -> "I no longer have this picture's request. Please use /imagine again.";
                case DETAILS -> "I no longer have this picture's details.";
                case DELETE -> "I have no record of this picture, so I cannot delete it; an admin of the chat can.";
            }, true);
            case ButtonResult.Refused r -> out.answer(query.getId(), r.refusal().message(), true);
            case ButtonResult.Reroll r -> {
                out.answer(query.getId(), "🔁 Re-rolling with a new seed…", false);
                imagine.submit(r.request(), chatId, messageId, taken);
            }
            case ButtonResult.Details d -> {
                out.answer(query.getId(), null, false);
                out.tell(chatId, messageId, Texts.details(d.details()));
            }
            case ButtonResult.NotYours n ->
                    out.answer(query.getId(), "Only the member who asked for this picture, or an admin, can delete it.", true);
            case ButtonResult.Delete d -> delete(query, chatId, d.messages());
        }
    }

    private void delete(CallbackQuery query, long chatId, List<String> messages) {
        var ids = new ArrayList<Integer>();
        for (String m : messages) ids.add(Integer.valueOf(m));
        boolean deleted;
        try {
            deleted = out.delete(chatId, ids);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleted = false;
        }
        out.answer(query.getId(), deleted ? "Deleted." : "I could not delete it: Telegram lets bots delete only messages younger than 48 hours.", !deleted);
    }
}
