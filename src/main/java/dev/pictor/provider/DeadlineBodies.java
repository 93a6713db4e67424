package dev.pictor.provider;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answer's body as the JDK's {@link HttpResponse.BodySubscribers#ofInputStream() InputStream}, bounded by the
 * whole call's timeout (OkHttp's {@code callTimeout}): the request's own timeout only covers the wait for the headers.
 * When the call's time is up before its body has been read, the body's stream fails with an
 * {@link HttpTimeoutException} (its reader gets an IOException caused by it) and the connection is released.
 *
 * <p>The timer is {@code call.orTimeout}: completing {@code call} when the call is over cancels it.
 */
final class DeadlineBodies implements HttpResponse.BodyHandler<InputStream> {
    private final String provider;
    private final long deadlineNanos;
    private final Duration timeout;
    private final CompletableFuture<Void> call;

    DeadlineBodies(String provider, Duration timeout, CompletableFuture<Void> call) {
        this.provider = provider;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.call = call;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        var body = new Body(HttpResponse.BodySubscribers.ofInputStream());
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        call.orTimeout(left, TimeUnit.NANOSECONDS).whenComplete((ignored, failure) -> {
            if (failure instanceof TimeoutException) {
                body.expire(new HttpTimeoutException(provider + ": no complete answer within " + timeout.toMillis() + " ms"));
            }
        });
        return body;
    }

    /**
     * Passes everything on to the JDK's stream, keeping the subscription to cancel it at the deadline. The deadline
     * fires on the timer's thread while the JDK may be signalling on its own, so the stream's signals go through one
     * lock (a subscriber's signals must never overlap: Reactive Streams rule 1.3), and once the body has ended
     * (completed, failed, or expired) nothing more reaches the stream: the JDK's own error about the connection the
     * deadline closed cannot replace the timeout the reader is to get. Only the stream's own methods, which never
     * block, are called under the lock; the subscription is subscribed and cancelled outside it.
     */
    static final class Body implements HttpResponse.BodySubscriber<InputStream> {
        private final HttpResponse.BodySubscriber<InputStream> stream;
        private Flow.Subscription subscription; // guarded by this
        private boolean ended;                  // guarded by this

        Body(HttpResponse.BodySubscriber<InputStream> stream) {
            this.stream = stream;
        }

        /** Ends the body with {@code e}, unless it has ended already: wakes a blocked reader and cancels the call. */
        void expire(HttpTimeoutException e) {
            Flow.Subscription s;
            synchronized (this) {
                if (ended) return;
                ended = true;
                s = subscription;
                stream.onError(e); // wakes a reader blocked on the next buffer
            }
            if (s != null) s.cancel(); // what the JDK still signals is dropped: the body has ended
        }

        @Override
        public CompletionStage<InputStream> getBody() {
            return stream.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean expired;
            synchronized (this) {
                expired = ended;
                subscription = s;
            }
            // expired before the JDK subscribed: the reader already has its timeout, nothing is to be read
            if (expired) s.cancel();
            else stream.onSubscribe(s);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> item) {
            if (!ended) stream.onNext(item);
        }

        @Override
        public synchronized void onError(Throwable throwable) {
            if (ended) return;
            ended = true;
            stream.onError(throwable);
        }

        @Override
        public synchronized void onComplete() {
            if (ended) return;
            ended = true;
            stream.onComplete();
        }
    }
}
