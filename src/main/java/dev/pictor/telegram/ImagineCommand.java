package dev.pictor.telegram;

import dev.pictor.core.Checked;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Refusal;
import dev.pictor.core.OptionParser;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.Chat;
import dev.pictor.core.chat.ChatText;
import dev.pictor.core.chat.Submitted;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.ForceReplyKeyboard;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code /imagine <prompt> [--flags]} (and a reply to one of the bot's messages): the core's {@link Chat} parses and
 * validates it, and runs the request with a {@link TelegramDelivery}. Returns at once; the job runs on the core's
 * executor.
 */
final class ImagineCommand implements TelegramCommand {
    private static final Logger log = LoggerFactory.getLogger(ImagineCommand.class);

    private final Chat chat;
    private final Outbox out;

    ImagineCommand(Chat chat, Outbox out) {
        this.chat = chat;
        this.out = out;
    }

    @Override
    public List<String> names() {
        return List.of("imagine");
    }

    @Override
    public String menuText(Locale locale) {
        String flags = OptionParser.Flag.listed().stream().filter(OptionParser.Flag::takesValue)
                .map(f -> "[" + f.example() + "]").collect(Collectors.joining(" "));
        return Messages.render(locale, Msg.TELEGRAM_MENU_IMAGINE, "flags", flags);
    }

    @Override
    public void run(Call call) {
        run(call.who(), call.locale(), call.chatId(), call.messageId(), call.command().args(), call.taken());
    }

    /** Runs {@code text} as the prompt and flags of an {@code /imagine} (also the text of a reply to the bot). */
    void run(Requester who, Locale locale, long chatId, int messageId, String text, Taken taken) {
        switch (chat.check(who, text)) {
            case Checked.Refused<ImagineRequest> r -> refuse(locale, chatId, messageId, r.refusal());
            case Checked.Ok<ImagineRequest> ok -> submit(ok.value(), locale, chatId, messageId, taken);
        }
    }

    /**
     * Starts a job whose result answers {@code replyTo} in the chat; {@code taken} (the update that asked) is marked
     * done once the ledger has the job, or once it ended without one.
     */
    void submit(ImagineRequest request, Locale locale, long chatId, Integer replyTo, Taken taken) {
        taken.defer();
        var delivery = new TelegramDelivery(out, locale, chatId, replyTo, taken);
        switch (chat.submit(request, delivery)) {
            case Submitted.Busy busy -> {
                taken.run();
                delivery.finish();
                out.tell(chatId, replyTo, Messages.render(locale, ChatText.busy()));
            }
            case Submitted.Running running -> running.outcome().whenComplete((outcome, error) -> {
                taken.run();
                delivery.finish();
                if (error != null) {
                    log.error("chat {}: job ended abnormally", chatId, error);
                    out.tell(chatId, replyTo, Messages.render(locale, ChatText.internalError()));
                }
            });
        }
    }

    private void refuse(Locale locale, long chatId, int messageId, Refusal refusal) {
        if (refusal.reason() == Refusal.Reason.EMPTY_PROMPT) {
            // invite the prompt as a reply: a reply to the bot's message is read as /imagine
            var askForPrompt = ForceReplyKeyboard.builder().forceReply(true).selective(true)
                    .inputFieldPlaceholder(TelegramText.examplePrompt(locale, OptionParser.Flag.ASPECT)).build();
            try {
                out.text(chatId, messageId, Messages.render(locale, Msg.TELEGRAM_REPLY_WITH_PROMPT, "refusal", refusal.fullText()),
                        askForPrompt);
                return;
            } catch (SendException e) {
                log.warn("chat {}: could not ask for a prompt: {}", chatId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.tell(chatId, messageId, TelegramText.refusal(locale, refusal));
    }
}
