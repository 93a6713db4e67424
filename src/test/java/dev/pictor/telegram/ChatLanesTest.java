package dev.pictor.telegram;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ChatLanesTest {
    @Test
    void aFloodingChat_hasItsUpdatesBeyondTheCapDropped_whileOtherChatsAndLaterUpdatesAreServed() throws Exception {
        try (var lanes = new ChatLanes(Executors.newVirtualThreadPerTaskExecutor(), 3)) {
            var release = new CountDownLatch(1);
            // given chat 1 has three updates waiting behind a stuck one
            assertThat(lanes.submit(1, () -> await(release))).isTrue();
            assertThat(lanes.submit(1, () -> { })).isTrue();
            assertThat(lanes.submit(1, () -> { })).isTrue();
            // when a fourth arrives, then it is dropped; another chat is still taken
            assertThat(lanes.submit(1, () -> { })).isFalse();
            var other = new CountDownLatch(1);
            assertThat(lanes.submit(2, other::countDown)).isTrue();
            assertThat(other.await(10, TimeUnit.SECONDS)).isTrue();
            // and once chat 1 drains, it is served again
            release.countDown();
            var later = new CountDownLatch(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!lanes.submit(1, later::countDown) && System.nanoTime() < until) Thread.sleep(5);
            assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFloodingChat_isReportedOncePerFlood_andAgainOnlyAfterItsLaneRanDry() throws Exception {
        List<Long> floods = new CopyOnWriteArrayList<>();
        try (var lanes = new ChatLanes(Executors.newVirtualThreadPerTaskExecutor(), 2, floods::add)) {
            var release = new CountDownLatch(1);
            // given chat 1 full behind a stuck update
            lanes.submit(1, () -> await(release));
            lanes.submit(1, () -> { });
            // when three more arrive, then the flood is reported once
            for (int i = 0; i < 3; i++) assertThat(lanes.submit(1, () -> { })).isFalse();
            assertThat(floods).containsExactly(1L);
            // and once the lane ran dry, a new flood is reported again
            release.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lanes.flooding(1) && System.nanoTime() < until) Thread.sleep(5);
            var stuck = new CountDownLatch(1);
            lanes.submit(1, () -> await(stuck));
            lanes.submit(1, () -> { });
            lanes.submit(1, () -> { });
            assertThat(floods).containsExactly(1L, 1L);
            stuck.countDown();
        }
    }

    @Test
    void oneChatsUpdates_runInOrder_whileAnotherChatIsServedMeanwhile() throws Exception {
        try (var lanes = new ChatLanes(Executors.newVirtualThreadPerTaskExecutor())) {
            List<String> order = new CopyOnWriteArrayList<>();
            var firstBlocks = new CountDownLatch(1);
            var otherChatRan = new CountDownLatch(1);
            // given chat 1's first update is stuck
            lanes.submit(1, () -> {
                await(firstBlocks);
                order.add("1a");
            });
            lanes.submit(1, () -> order.add("1b"));
            // when chat 2 has an update
            lanes.submit(2, () -> {
                order.add("2a");
                otherChatRan.countDown();
            });
            // then chat 2 is served while chat 1 waits, and chat 1 keeps its order
            assertThat(otherChatRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("2a");
            firstBlocks.countDown();
            var done = new CountDownLatch(1);
            lanes.submit(1, done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("2a", "1a", "1b");
        }
    }

    @Test
    void anUpdateThatThrows_doesNotStopItsChat() throws Exception {
        try (var lanes = new ChatLanes(Executors.newVirtualThreadPerTaskExecutor())) {
            var after = new CountDownLatch(1);
            lanes.submit(7, () -> {
                throw new IllegalStateException("boom (expected in this test)");
            });
            lanes.submit(7, after::countDown);
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void finishedChats_areForgotten() throws Exception {
        try (var lanes = new ChatLanes(Executors.newVirtualThreadPerTaskExecutor())) {
            var done = new CountDownLatch(100);
            for (long chat = 0; chat < 100; chat++) lanes.submit(chat, done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lanes.busyChats() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(lanes.busyChats()).isZero();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
