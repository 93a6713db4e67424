package dev.pictor.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.DeleteMessages;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.media.InputMedia;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaPhoto;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.ReplyKeyboard;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** The bot's messages, as typed Bot API calls through {@link TelegramApi}. TelegramText and captions are cut to fit. */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    static final int MAX_ALERT = 200;

    /** A file to upload: a name unique within its message (it is also the multipart part's name) and its bytes. */
    record Upload(String name, byte[] bytes) {
        InputFile inputFile() {
            return new InputFile(new ByteArrayInputStream(bytes), name);
        }
    }

    private final TelegramApi api;

    Outbox(TelegramApi api) {
        this.api = api;
    }

    Message text(long chatId, Integer replyTo, String text, ReplyKeyboard markup) throws SendException, InterruptedException {
        String body = TelegramText.cut(text, MAX_TEXT);
        return api.message(chatId, "sendMessage", c -> c.executeAsync(SendMessage.builder().chatId(chatId).text(body)
                .replyParameters(replyTo(replyTo)).replyMarkup(markup).build()));
    }

    /** Sends a short text and only logs a failure: for refusals and hints, where nothing else can be done. */
    void tell(long chatId, Integer replyTo, String text) {
        try {
            text(chatId, replyTo, text, null);
        } catch (SendException e) {
            log.warn("chat {}: could not send a reply: {}", chatId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Message photo(long chatId, Integer replyTo, Upload file, String caption, ReplyKeyboard markup)
            throws SendException, InterruptedException {
        String cap = TelegramText.cut(caption, MAX_CAPTION);
        return api.message(chatId, "sendPhoto", c -> c.executeAsync(SendPhoto.builder().chatId(chatId)
                .photo(file.inputFile()).caption(cap).replyParameters(replyTo(replyTo)).replyMarkup(markup).build()));
    }

    Message document(long chatId, Integer replyTo, Upload file, String caption, ReplyKeyboard markup)
            throws SendException, InterruptedException {
        String cap = TelegramText.cut(caption, MAX_CAPTION);
        return api.message(chatId, "sendDocument", c -> c.executeAsync(SendDocument.builder().chatId(chatId)
                .document(file.inputFile()).caption(cap).replyParameters(replyTo(replyTo)).replyMarkup(markup).build()));
    }

    /** 2–10 photos as one album; the caption goes on the first. An album cannot carry buttons. */
    List<Message> album(long chatId, Integer replyTo, List<Upload> files, String caption)
            throws SendException, InterruptedException {
        String cap = TelegramText.cut(caption, MAX_CAPTION);
        return api.message(chatId, "sendMediaGroup", c -> {
            var media = new ArrayList<InputMedia>();
            for (int i = 0; i < files.size(); i++) {
                Upload f = files.get(i);
                var photo = new InputMediaPhoto(new ByteArrayInputStream(f.bytes()), f.name());
                if (i == 0) photo.setCaption(cap);
                media.add(photo);
            }
            return c.executeAsync(SendMediaGroup.builder().chatId(chatId).medias(media).replyParameters(replyTo(replyTo)).build());
        });
    }

    /** Shows "sending a photo…" in the chat for about five seconds; a failure only costs the indicator. */
    void uploadingPhoto(long chatId) {
        try {
            api.request(chatId, "sendChatAction", c -> c.executeAsync(SendChatAction.builder().chatId(chatId)
                    .action("upload_photo").build()));
        } catch (SendException e) {
            log.debug("chat {}: chat action failed: {}", chatId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers a button press (Telegram shows a spinner until then); {@code text} null shows nothing. */
    void answer(String callbackId, String text, boolean alert) {
        String shown = text == null ? null : TelegramText.cut(text, MAX_ALERT);
        try {
            api.request(null, "answerCallbackQuery", c -> c.executeAsync(AnswerCallbackQuery.builder()
                    .callbackQueryId(callbackId).text(shown).showAlert(alert ? Boolean.TRUE : null).build()));
        } catch (SendException e) {
            log.warn("could not answer a button press: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean delete(long chatId, List<Integer> messageIds) throws InterruptedException {
        try {
            return Boolean.TRUE.equals(api.request(chatId, "deleteMessages", c -> c.executeAsync(DeleteMessages.builder()
                    .chatId(chatId).messageIds(messageIds).build())));
        } catch (SendException e) {
            log.info("chat {}: delete failed: {}", chatId, e.getMessage());
            return false;
        }
    }

    private static ReplyParameters replyTo(Integer messageId) {
        return messageId == null ? null : ReplyParameters.builder().messageId(messageId).allowSendingWithoutReply(true).build();
    }
}
