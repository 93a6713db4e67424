package dev.pictor.telegram;

import dev.pictor.core.Image;
import dev.pictor.core.ImageFormat;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.port.JobPost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

import java.time.Duration;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How one job's member hears back in a Telegram chat: "sending a photo…" repeated while the job runs, a short note
 * when it has to wait, then the images (one photo, or an album followed by a message with the buttons; an image
 * too big for a photo goes as a file), or the refusal in a short message. The "queued" note is deleted once the
 * job has ended (after its images were sent, or when the refusal is), so that it does not stay in the chat.
 */
final class TelegramDelivery implements Delivery {
    private static final Logger log = LoggerFactory.getLogger(TelegramDelivery.class);
    /** sendPhoto's limits: 10 MB, width + height at most 10,000, sides at most 20:1. */
    static final long MAX_PHOTO_BYTES = 10_000_000;
    static final int MAX_PHOTO_SIDES = 10_000;
    static final int MAX_PHOTO_RATIO = 20;
    /** sendDocument's limit: 50 MB. */
    static final long MAX_DOCUMENT_BYTES = 50_000_000;
    static final Duration ACTION_EVERY = Duration.ofSeconds(4);

    private final Outbox out;
    private final Locale locale;
    private final long chatId;
    private final Integer replyTo;
    private final Taken taken;

    private final AtomicBoolean queuedShown = new AtomicBoolean();
    /** The "queued" note's message id, while it is in the chat. */
    private final AtomicReference<Integer> queuedNote = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean ticking = new AtomicBoolean();

    /** {@code taken} runs once the ledger has the job, or when it is refused before that. */
    TelegramDelivery(Outbox out, Locale locale, long chatId, Integer replyTo, Taken taken) {
        this.out = out;
        this.locale = locale;
        this.chatId = chatId;
        this.replyTo = replyTo;
        this.taken = taken;
    }

    @Override
    public String origin() {
        return taken.origin();
    }

    @Override
    public String chat() {
        return String.valueOf(chatId);
    }

    @Override
    public void accepted(String jobId) {
        taken.run();
    }

    @Override
    public void progress(Progress progress) {
        startTicking();
        if (progress == Progress.QUEUED && queuedShown.compareAndSet(false, true)) {
            try {
                queuedNote.set(out.text(chatId, replyTo, Messages.render(locale, Msg.TELEGRAM_QUEUED), null).getMessageId());
            } catch (SendException e) {
                log.warn("chat {}: could not send the queued note: {}", chatId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the "queued" note, if one is in the chat; a stop signal (interrupt) in force is kept, not obeyed. */
    private void dropQueuedNote() {
        Integer note = queuedNote.getAndSet(null);
        if (note == null) return;
        boolean interrupted = Thread.interrupted();
        try {
            if (!out.delete(chatId, List.of(note))) log.info("chat {}: the queued note {} stays", chatId, note);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Repeats the upload_photo chat action (it shows for 5 s) until the job is finished. */
    void startTicking() {
        if (!ticking.compareAndSet(false, true) || done.getCount() == 0) return;
        Thread.ofVirtual().name("telegram-action-" + chatId).start(() -> {
            try {
                do {
                    out.uploadingPhoto(chatId);
                } while (!done.await(ACTION_EVERY.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stops the chat action; called when the job has ended, however it ended. */
    void finish() {
        done.countDown();
    }

    @Override
    public int deliver(Generated generated) throws Exception {
        finish();
        try {
            return send(generated);
        } finally {
            dropQueuedNote();
        }
    }

    private int send(Generated generated) throws Exception {
        var photos = new ArrayList<Outbox.Upload>();
        var documents = new ArrayList<Outbox.Upload>();
        String stem = "pictor-" + shortId(generated.jobId());
        List<Image> images = generated.images();
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            var upload = new Outbox.Upload(stem + "-" + (i + 1) + "." + img.format().extension(), img.bytes());
            if (fitsPhoto(img)) photos.add(upload);
            else if (img.size() <= MAX_DOCUMENT_BYTES) documents.add(upload);
            else log.warn("job {}: image {} is {} bytes, over Telegram's 50 MB; not sent", generated.jobId(), i + 1, img.size());
        }
        String caption = TelegramText.caption(locale, generated.request(), generated.seed());
        String jobId = generated.jobId();
        int delivered = 0;
        boolean captioned = false;
        boolean buttonsPlaced = false;
        SendException firstFailure = null;

        // before each post: a job another process has repaired meanwhile (this one was cut off from the database and
        // its lease claimed) posts nothing more; the core records no end for it and tells nobody (the repairer did)
        if (photos.size() >= 2) {
            if (!generated.receipts().mayPost()) return delivered;
            try {
                List<Message> album = out.album(chatId, replyTo, photos, caption);
                generated.receipts().confirmed(album.stream().map(m -> post(m, 1)).toList());
                delivered += photos.size();
                captioned = true;
            } catch (SendException e) {
                firstFailure = asFiles(e, photos, documents, generated.jobId());
            }
        } else if (photos.size() == 1) {
            if (!generated.receipts().mayPost()) return delivered;
            try {
                var markup = documents.isEmpty() ? buttons(jobId) : null;
                Message m = out.photo(chatId, replyTo, photos.getFirst(), caption, markup);
                generated.receipts().confirmed(post(m, 1));
                delivered++;
                captioned = true;
                buttonsPlaced = markup != null;
            } catch (SendException e) {
                firstFailure = asFiles(e, photos, documents, generated.jobId());
            }
        }
        for (int i = 0; i < documents.size(); i++) {
            boolean last = i == documents.size() - 1;
            if (!generated.receipts().mayPost()) return delivered;
            try {
                var markup = last ? buttons(jobId) : null;
                Message m = out.document(chatId, replyTo, documents.get(i), captioned ? null : caption, markup);
                generated.receipts().confirmed(post(m, 1));
                delivered++;
                captioned = true;
                buttonsPlaced = markup != null;
            } catch (SendException e) {
                if (firstFailure == null) firstFailure = e;
                log.warn("job {}: file {} not sent: {}", generated.jobId(), documents.get(i).name(), e.getMessage());
            } catch (InterruptedException e) {
                if (delivered == 0) throw e;
                return stoppedAfter(generated, delivered); // what already reached the chat counts
            }
        }
        if (delivered == 0 && firstFailure != null) throw firstFailure;
        if (delivered > 0 && !buttonsPlaced) {
            if (!generated.receipts().mayPost()) return delivered;
            try {
                Message note = out.text(chatId, replyTo, TelegramText.buttonsNote(locale, delivered, generated.request(), generated.seed()),
                        buttons(jobId));
                generated.receipts().confirmed(post(note, 0));
            } catch (SendException e) {
                log.warn("job {}: images sent, but their buttons were not: {}", generated.jobId(), e.getMessage());
            } catch (InterruptedException e) {
                return stoppedAfter(generated, delivered);
            }
        }
        return delivered;
    }

    /** Stopped (shutdown) after some images were posted: keep the stop signal and report what arrived. */
    private static int stoppedAfter(Generated generated, int delivered) {
        Thread.currentThread().interrupt();
        log.warn("job {}: stopped after {} image(s) were posted; the rest are refunded", generated.jobId(), delivered);
        return delivered;
    }

    /**
     * After photos were refused: a 400 (Telegram could not take them as photos) sends them as files instead;
     * anything else is the failure to report.
     */
    private static SendException asFiles(SendException e, List<Outbox.Upload> photos, List<Outbox.Upload> documents,
                                         String jobId) {
        if (e.status() == 400) {
            log.info("job {}: Telegram refused the images as photos ({}); sending them as files", jobId, e.getMessage());
            documents.addAll(0, photos);
            return null;
        }
        log.warn("job {}: {} photo(s) not sent: {}", jobId, photos.size(), e.getMessage());
        return e;
    }

    @Override
    public void refused(Refusal refusal) {
        taken.run();
        finish();
        // a job stopped at shutdown is refused on an interrupted thread: tell the member all the same
        boolean interrupted = Thread.interrupted();
        try {
            out.tell(chatId, replyTo, TelegramText.refusal(locale, refusal));
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
            dropQueuedNote();
        }
    }

    @Override
    public void abandoned() {
        taken.run();
        finish();
        dropQueuedNote();
    }

    static boolean fitsPhoto(Image img) {
        if (img.format() == ImageFormat.GIF) return false; // a photo would lose the animation
        if (img.size() > MAX_PHOTO_BYTES) return false;
        int w = img.width(), h = img.height();
        if (w <= 0 || h <= 0) return true; // size unknown: Telegram will tell
        return w + h <= MAX_PHOTO_SIDES && Math.max(w, h) <= (long) MAX_PHOTO_RATIO * Math.min(w, h);
    }

    /** A message this job posted, as Telegram confirmed it, for the ledger. */
    private JobPost post(Message m, int images) {
        return new JobPost(String.valueOf(chatId), String.valueOf(m.getMessageId()), images);
    }

    /** Re-roll, Details and Delete for a job (Delete removes every message the ledger records for it). */
    InlineKeyboardMarkup buttons(String jobId) {
        var row = new InlineKeyboardRow();
        add(row, "🔁 " + Messages.render(locale, Msg.BUTTON_REROLL), new ButtonIds(ButtonIds.Action.REROLL, jobId));
        add(row, "ℹ️ " + Messages.render(locale, Msg.BUTTON_DETAILS), new ButtonIds(ButtonIds.Action.DETAILS, jobId));
        add(row, "🗑 " + Messages.render(locale, Msg.BUTTON_DELETE), new ButtonIds(ButtonIds.Action.DELETE, jobId));
        return row.isEmpty() ? null : InlineKeyboardMarkup.builder().keyboardRow(row).build();
    }

    private static void add(InlineKeyboardRow row, String label, ButtonIds data) {
        String encoded = data.encode();
        if (encoded == null) {
            log.warn("job id {} is too long for a button; {} left out", data.jobId(), label);
            return;
        }
        row.add(InlineKeyboardButton.builder().text(label).callbackData(encoded).build());
    }

    private static String shortId(String jobId) {
        String clean = jobId.replaceAll("[^A-Za-z0-9]", "");
        return clean.length() > 12 ? clean.substring(0, 12) : clean;
    }
}
