package dev.pictor.telegram;

import dev.pictor.ops.Secrets;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every Bot API call the bot makes goes through here: messages wait for their turn under Telegram's flood limits
 * (per chat, per group, overall), a 429 is waited out for its {@code retry_after} and the same message is sent again,
 * and a failure is retried only when Telegram cannot have acted on it, so nothing is lost or sent twice.
 *
 * <p>A message is retried after a 429 or when the connection could not be made; a call that is harmless to repeat
 * (chat action, callback answer, delete) is also retried after a 5xx or a network error. A message whose answer
 * was lost (timeout after sending) is not repeated: it counts as not delivered, and its images are refunded.
 */
final class TelegramApi {
    private static final Logger log = LoggerFactory.getLogger(TelegramApi.class);
    private static final int MAX_FLOODS = 5;
    private static final int MAX_FAILURES = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

    /** One Bot API call, built anew for every attempt (an upload's stream can be read only once). */
    interface Call<T> {
        CompletableFuture<T> start(TelegramClient client) throws TelegramApiException;
    }

    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final TelegramClient client;
    private final String token;
    private final TelegramBotSettings.SendLimits limits;
    private final Sleeper sleeper;
    private final BlockingStrategy waiting;
    private final Bucket overall;
    private final Map<Long, Bucket> chats = new ConcurrentHashMap<>();
    private final Map<Long, Bucket> groups = new ConcurrentHashMap<>();
    private final Map<Long, Long> pausedUntil = new ConcurrentHashMap<>();

    TelegramApi(TelegramClient client, String token, TelegramBotSettings.SendLimits limits, Sleeper sleeper) {
        this(client, token, limits, sleeper, BlockingStrategy.PARKING);
    }

    /** {@code waiting} is how a message waits for its turn under the flood limits (tests record it). */
    TelegramApi(TelegramClient client, String token, TelegramBotSettings.SendLimits limits, Sleeper sleeper,
                BlockingStrategy waiting) {
        this.client = client;
        this.token = token;
        this.limits = limits;
        this.sleeper = sleeper;
        this.waiting = waiting;
        this.overall = bucket(limits.overallPerSecond(), limits.overallPerSecond(), Duration.ofSeconds(1));
    }

    /** Sends a message to a chat, in its turn; retried only when that cannot make a duplicate. */
    <T> T message(long chatId, String method, Call<T> call) throws SendException, InterruptedException {
        return run(chatId, method, false, call);
    }

    /** A call that may safely be repeated (answers, chat actions, deletions, setup): not rate-limited as a message. */
    <T> T request(Long chatId, String method, Call<T> call) throws SendException, InterruptedException {
        return run(chatId, method, true, call);
    }

    /** Forgets the rate state of chats that have been quiet long enough to be full again. */
    void forgetIdleChats() {
        chats.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= limits.perChatBurst());
        groups.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= limits.perGroupPerMinute());
        long now = System.nanoTime();
        pausedUntil.entrySet().removeIf(e -> e.getValue() - now < 0);
    }

    private <T> T run(Long chatId, String method, boolean repeatable, Call<T> call) throws SendException, InterruptedException {
        int floods = 0;
        int failures = 0;
        while (true) {
            if (chatId != null) awaitPause(chatId);
            if (!repeatable) {
                chats.computeIfAbsent(chatId, id -> bucket(limits.perChatBurst(), 1, limits.perChatEvery()))
                        .asBlocking().consume(1, waiting);
                if (chatId < 0) { // groups, supergroups and channels have negative ids
                    groups.computeIfAbsent(chatId, id -> bucket(limits.perGroupPerMinute(), limits.perGroupPerMinute(),
                            Duration.ofMinutes(1))).asBlocking().consume(1, waiting);
                }
                overall.asBlocking().consume(1, waiting);
            }
            Throwable failure;
            try {
                return call.start(client).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause() == null ? e : e.getCause();
            } catch (TimeoutException e) {
                failure = e;
            } catch (TelegramApiException e) { // refused by the library's own checks, before sending
                throw new SendException(method, 0, scrub(e.getMessage()));
            }
            if (failure instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() > 0) {
                int code = r.getErrorCode();
                if (code == 429) {
                    Duration wait = Duration.ofSeconds(retryAfter(r));
                    if (++floods > MAX_FLOODS || wait.compareTo(limits.maxFloodWait()) > 0) {
                        throw new SendException(method, code, "flood control asks to wait " + wait.toSeconds() + " s");
                    }
                    log.info("{}: Telegram asks to wait {} s (429); sending again then", method, wait.toSeconds());
                    if (chatId != null) pause(chatId, wait);
                    else sleeper.sleep(wait);
                    continue;
                }
                if (repeatable && code >= 500 && ++failures < MAX_FAILURES) {
                    backoff(method, failures, "status " + code);
                    continue;
                }
                throw new SendException(method, code, scrub(r.getApiResponse()));
            }
            if (failure instanceof RuntimeException || failure instanceof TelegramApiRequestException) {
                // an answer the library could not read as the Bot API's (not JSON, or JSON without "ok"): the
                // server at api-url is not a Bot API server; repeating will not help
                throw new SendException(method, 0, "the answer is not the Telegram Bot API's ("
                        + scrub(failure.getClass().getSimpleName() + ": " + failure.getMessage()) + ")", true);
            }
            boolean notSent = failure instanceof ConnectException || failure instanceof UnknownHostException
                    || failure instanceof NoRouteToHostException;
            boolean network = failure instanceof IOException || failure instanceof TimeoutException;
            if ((notSent || repeatable && network) && ++failures < MAX_FAILURES) {
                backoff(method, failures, failure.getClass().getSimpleName());
                continue;
            }
            throw new SendException(method, 0, scrub(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
    }

    private void backoff(String method, int failures, String why) throws InterruptedException {
        Duration wait = Duration.ofMillis(250L << Math.min(failures, 5));
        log.info("{}: {}; trying again in {} ms", method, why, wait.toMillis());
        sleeper.sleep(wait);
    }

    private static int retryAfter(TelegramApiRequestException r) {
        Integer after = r.getParameters() == null ? null : r.getParameters().getRetryAfter();
        return after == null || after < 1 ? 1 : after;
    }

    private void pause(long chatId, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        pausedUntil.merge(chatId, until, Math::max);
    }

    private void awaitPause(long chatId) throws InterruptedException {
        Long until = pausedUntil.get(chatId);
        if (until == null) return;
        long left = until - System.nanoTime();
        if (left > 0) sleeper.sleep(Duration.ofNanos(left));
    }

    private static Bucket bucket(int capacity, int refill, Duration every) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refill, every).build()).build();
    }

    /** Removes the token (and any other secret) from a text that might quote a URL. */
    String scrub(String text) {
        return Secrets.redact(text, token);
    }
}
