package dev.pictor.telegram;

import dev.pictor.core.Checked;
import dev.pictor.core.ImagineOptions;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.OptionParser;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;

import java.util.ArrayList;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The buttons under a result. Each press is answered (Telegram shows a spinner until then), then acted on:
 * Re-roll asks again with a new seed, charged to whoever pressed; Details shows what the ledger recorded; Delete
 * removes the result, for the member who asked or the bot's admins. Everything is looked up by job id in the
 * ledger, so buttons keep working after a restart.
 *
 * <p>The callback data is the client's word and may be forged: it is trusted only for "which job, which action".
 * A press acts only when the message it was pressed on (as Telegram reports it, chat and message id) is one the
 * ledger recorded as that job's own post; Delete removes exactly the messages the ledger recorded for the job in
 * that chat.
 */
final class ButtonPresses {
    private static final Logger log = LoggerFactory.getLogger(ButtonPresses.class);

    private final JobLedger ledger;
    private final RequestValidator validator;
    private final ImagineCommand imagine;
    private final Outbox out;
    private final TelegramBotSettings settings;
    private final LongSupplier seeds;

    ButtonPresses(JobLedger ledger, RequestValidator validator, ImagineCommand imagine, Outbox out,
                  TelegramBotSettings settings, LongSupplier seeds) {
        this.ledger = ledger;
        this.validator = validator;
        this.imagine = imagine;
        this.out = out;
        this.settings = settings;
        this.seeds = seeds;
    }

    /** Handles a press; a Re-roll hands {@code taken} to its job. */
    void handle(CallbackQuery query, Taken taken) {
        MaybeInaccessibleMessage message = query.getMessage();
        ButtonData data = ButtonData.parse(query.getData());
        if (data == null || message == null || message.getChat() == null) {
            out.answer(query.getId(), "This button no longer works.", false);
            return;
        }
        Optional<JobView> job;
        try {
            job = ledger.find(data.jobId());
        } catch (RuntimeException e) {
            log.error("job {}: ledger lookup failed", data.jobId(), e);
            out.answer(query.getId(), "Something went wrong on our side; please try again.", true);
            return;
        }
        long chatId = message.getChatId();
        int messageId = message.getMessageId();
        if (job.isPresent() && !job.get().posted(String.valueOf(chatId), String.valueOf(messageId))) {
            // a job id from another message, another chat, or made up: nothing to act on here
            log.info("job {}: {} pressed on message {} in chat {}, which is not one of its posts; ignored",
                    data.jobId(), data.action(), messageId, chatId);
            job = Optional.empty();
        }
        switch (data.action()) {
            case REROLL -> reroll(query, job, chatId, messageId, taken);
            case DETAILS -> details(query, job, chatId, messageId);
            case DELETE -> delete(query, job, chatId);
        }
    }

    private void reroll(CallbackQuery query, Optional<JobView> job, long chatId, int messageId, Taken taken) {
        if (job.isEmpty()) {
            out.answer(query.getId(), "I no longer have this picture's request. Please use /imagine again.", true);
            return;
        }
        ImagineRequest before = job.get().request();
        Requester who = Members.requester(query.getFrom(), query.getMessage().getChat(), settings.name());
        // validated again: the catalog, the model's abilities and the banned terms may have changed since
        var again = new PromptCommand(before.prompt(), new ImagineOptions(before.model().id(), before.aspect(),
                before.count(), null, before.enhance() ? null : Boolean.FALSE));
        Checked<ImagineRequest> checked = validator.validate(who, again);
        switch (checked) {
            case Checked.Refused<ImagineRequest> r -> out.answer(query.getId(), r.refusal().message(), true);
            case Checked.Ok<ImagineRequest> ok -> {
                ImagineRequest request = ok.value();
                if (request.model().capabilities().seed()) {
                    request = request.withSeed(Math.floorMod(seeds.getAsLong(), OptionParser.MAX_SEED + 1));
                }
                out.answer(query.getId(), "🔁 Re-rolling with a new seed…", false);
                imagine.submit(request, chatId, messageId, taken);
            }
        }
    }

    private void details(CallbackQuery query, Optional<JobView> job, long chatId, int messageId) {
        if (job.isEmpty()) {
            out.answer(query.getId(), "I no longer have this picture's details.", true);
            return;
        }
        out.answer(query.getId(), null, false);
        out.tell(chatId, messageId, Texts.details(job.get()));
    }

    private void delete(CallbackQuery query, Optional<JobView> job, long chatId) {
        if (job.isEmpty()) {
            out.answer(query.getId(), "I have no record of this picture, so I cannot delete it; an admin of the chat can.", true);
            return;
        }
        long presser = query.getFrom().getId();
        boolean admin = settings.isAdmin(presser);
        if (!admin && !job.get().askedBy(Members.PLATFORM, String.valueOf(presser))) {
            out.answer(query.getId(), "Only the member who asked for this picture, or an admin, can delete it.", true);
            return;
        }
        var ids = new ArrayList<Integer>();
        for (String m : job.get().messagesIn(String.valueOf(chatId))) ids.add(Integer.valueOf(m));
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
