package dev.pictor.provider;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deadline of a provider's answer body fires on the timer's thread while the JDK signals the body on its own
 * threads: the two must not overlap, and the timeout must stay what the reader gets.
 */
class DeadlineBodiesTest {

    @Test
    void theReaderGetsTheTimeout_evenWhenTheJdkThenReportsTheConnectionTheDeadlineClosed() throws Exception {
        var body = new DeadlineBodies.Body(HttpResponse.BodySubscribers.ofInputStream());
        var subscription = new Subscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("{\"data\":[".getBytes(StandardCharsets.US_ASCII))));

        // when the deadline fires, and the JDK then fails the body it cancelled (as it does for a closed connection)
        body.expire(new HttpTimeoutException("gw: no complete answer within 500 ms"));
        body.onError(new IOException("connection closed locally"));
        body.onComplete();

        // then the call was cancelled once, and the reader's failure is the timeout
        assertThat(subscription.cancelled).hasValue(1);
        InputStream in = body.getBody().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class)
                .hasRootCauseMessage("gw: no complete answer within 500 ms");
    }

    @Test
    void theDeadline_waitsForASignalInProgress_insteadOfOverlappingIt() throws Exception {
        var stream = new Recording();
        var body = new DeadlineBodies.Body(stream);
        body.onSubscribe(new Subscription());

        // given the JDK inside onNext (held there)
        Thread jdk = Thread.ofPlatform().start(() -> body.onNext(List.of(ByteBuffer.allocate(1))));
        assertThat(stream.inNext.await(5, TimeUnit.SECONDS)).isTrue();

        // when the deadline fires meanwhile on the timer's thread
        Thread timer = Thread.ofPlatform().start(() -> body.expire(new HttpTimeoutException("gw: timed out")));
        while (timer.getState() != Thread.State.BLOCKED && timer.isAlive()) Thread.onSpinWait();

        // then its error waits until onNext has returned, and only then reaches the stream
        assertThat(stream.signals).as("nothing passed onNext while it runs").containsExactly("subscribe", "next");
        stream.release.countDown();
        jdk.join(5_000);
        timer.join(5_000);
        assertThat(stream.signals).containsExactly("subscribe", "next", "error HttpTimeoutException");
        assertThat(stream.mostAtOnce).hasValue(1);
    }

    @Test
    void aDeadlineBeforeTheJdkSubscribed_cancelsTheSubscription_andNothingMoreReachesTheStream() {
        var stream = new Recording();
        stream.release.countDown();
        var body = new DeadlineBodies.Body(stream);

        body.expire(new HttpTimeoutException("gw: timed out"));
        var subscription = new Subscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.allocate(1)));
        body.onComplete();

        assertThat(subscription.cancelled).hasValue(1);
        assertThat(stream.signals).containsExactly("error HttpTimeoutException");
    }

    @Test
    void anAnswerReadInTime_isPassedOnWhole_andALateDeadlineChangesNothing() throws Exception {
        var body = new DeadlineBodies.Body(HttpResponse.BodySubscribers.ofInputStream());
        var subscription = new Subscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("{}".getBytes(StandardCharsets.US_ASCII))));
        body.onComplete();

        body.expire(new HttpTimeoutException("gw: timed out"));

        assertThat(subscription.cancelled).hasValue(0);
        InputStream in = body.getBody().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("{}");
    }

    private static final class Subscription implements Flow.Subscription {
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancelled.incrementAndGet();
        }
    }

    /** A stream that records its signals and how many ran at once; onNext waits for {@link #release}. */
    private static final class Recording implements HttpResponse.BodySubscriber<InputStream> {
        final List<String> signals = new CopyOnWriteArrayList<>();
        final CountDownLatch inNext = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final AtomicInteger inside = new AtomicInteger();

        private void enter(String signal) {
            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
            signals.add(signal);
        }

        @Override
        public CompletionStage<InputStream> getBody() {
            return new CompletableFuture<>();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            signals.add("subscribe");
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            enter("next");
            inNext.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
        }

        @Override
        public void onError(Throwable throwable) {
            enter("error " + throwable.getClass().getSimpleName());
            inside.decrementAndGet();
        }

        @Override
        public void onComplete() {
            enter("complete");
            inside.decrementAndGet();
        }
    }
}
