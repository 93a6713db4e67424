package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The flood limits and the retry rules, without a network: waits are recorded instead of slept, and each call
 * answers what the test says.
 */
class TelegramApiTest {
    final List<Duration> parked = new CopyOnWriteArrayList<>();
    final List<Duration> slept = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    TelegramApi api(TelegramBotSettings.SendLimits limits) {
        // a message that would have to wait records the wait and gives up (as if interrupted), so nothing sleeps
        return new TelegramApi(null, "123:secret-token", limits, d -> slept.add(d), nanos -> {
            parked.add(Duration.ofNanos(nanos));
            throw new InterruptedException("would wait " + Duration.ofNanos(nanos).toMillis() + " ms");
        });
    }

    TelegramApi.Call<String> ok() {
        return client -> {
            attempts.incrementAndGet();
            return CompletableFuture.completedFuture("sent");
        };
    }

    TelegramApi.Call<String> failing(Exception first) {
        return client -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(first) : CompletableFuture.completedFuture("sent");
    }

    @Test
    void aGroupGets20MessagesAMinute_the21stWaitsItsTurn() throws Exception {
        var api = api(new TelegramBotSettings.SendLimits(100, Duration.ofMillis(1), 20, 1000, null));
        for (int i = 0; i < 20; i++) assertThat(api.message(-100L, "sendMessage", ok())).isEqualTo("sent");
        assertThat(parked).isEmpty();
        // the 21st in a minute has to wait about 3 s (a minute's refill spread over 20)
        assertThatThrownBy(() -> api.message(-100L, "sendMessage", ok())).isInstanceOf(InterruptedException.class);
        assertThat(parked).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(3)));
        // while a private chat is not held back by the group
        assertThat(api.message(42L, "sendMessage", ok())).isEqualTo("sent");
        assertThat(attempts.get()).isEqualTo(21);
    }

    @Test
    void oneChatGetsTwoAtOnce_thenAboutOneASecond() throws Exception {
        var api = api(TelegramBotSettings.SendLimits.TELEGRAM);
        api.message(42L, "sendPhoto", ok());
        api.message(42L, "sendMessage", ok());
        assertThatThrownBy(() -> api.message(42L, "sendMessage", ok())).isInstanceOf(InterruptedException.class);
        assertThat(parked).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(900), Duration.ofSeconds(1)));
        // another chat is not held back
        assertThat(api.message(43L, "sendMessage", ok())).isEqualTo("sent");
    }

    @Test
    void aMessageThatCouldNotConnect_isSentAgain() throws Exception {
        var api = api(TelegramBotSettings.SendLimits.TELEGRAM);
        assertThat(api.message(42L, "sendPhoto", failing(new ConnectException("refused")))).isEqualTo("sent");
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(slept).hasSize(1);
    }

    @Test
    void aMessageWhoseAnswerWasLost_isNotSentAgain_soItCannotArriveTwice() {
        var api = api(TelegramBotSettings.SendLimits.TELEGRAM);
        assertThatThrownBy(() -> api.message(42L, "sendPhoto", failing(new SocketTimeoutException("read timed out"))))
                .isInstanceOf(SendException.class).hasMessageContaining("sendPhoto");
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void aRepeatableCall_isRetriedAfterALostAnswer_andIsNotRateLimited() throws Exception {
        var api = api(new TelegramBotSettings.SendLimits(1, Duration.ofHours(1), 1, 1, null));
        assertThat(api.request(42L, "sendChatAction", failing(new SocketTimeoutException("read timed out")))).isEqualTo("sent");
        for (int i = 0; i < 5; i++) api.request(42L, "sendChatAction", ok());
        assertThat(parked).isEmpty();
    }

    @Test
    void failures_neverShowTheToken() {
        var api = api(new TelegramBotSettings.SendLimits(100, Duration.ofMillis(1), 100, 1000, null));
        TelegramApi.Call<String> unreachable = client -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new ConnectException("failed to connect to /bot123:secret-token/sendPhoto"));
        };
        assertThatThrownBy(() -> api.message(42L, "sendPhoto", unreachable)).isInstanceOf(SendException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("ConnectException").doesNotContain("secret-token"));
        assertThat(attempts.get()).isEqualTo(3);
    }
}
