package dev.pictor.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Sizes in images of the first guess ({@link ImageMemory#FIRST_GUESS}, G), which is what an image is expected to take. */
class ImageMemoryTest {
    private static final long G = ImageMemory.FIRST_GUESS;

    @Test
    void a_job_that_does_not_fit_waits_until_another_gives_its_share_back() throws Exception {
        var memory = new ImageMemory(10 * G);
        ImageMemory.Reservation first = memory.reserve(8);
        assertThat(memory.tryReserve(4)).as("8 + 4 is over 10").isNull();

        CompletableFuture<ImageMemory.Reservation> second = waitFor(memory, 4);
        Thread.sleep(100);
        assertThat(second).isNotDone();

        first.close();
        ImageMemory.Reservation got = second.get(5, TimeUnit.SECONDS);
        assertThat(memory.used()).isEqualTo(4 * G);
        got.close();
        got.close(); // once
        assertThat(memory.used()).isZero();
    }

    @Test
    void a_job_alone_always_proceeds_however_large_and_settling_may_go_over_holding_back_the_next() {
        var memory = new ImageMemory(10 * G);
        ImageMemory.Reservation big = memory.tryReserve(50);
        assertThat(big).as("nothing else is held").isNotNull();
        big.close();

        ImageMemory.Reservation job = memory.tryReserve(4);
        job.settle(12 * G, 4); // its images turned out larger than expected: already in memory, so held
        assertThat(memory.used()).isEqualTo(12 * G);
        assertThat(memory.tryReserve(1)).isNull();
        job.settle(3 * G, 3);
        assertThat(memory.used()).isEqualTo(3 * G);
        assertThat(memory.expectedFor(1)).as("the average moved: G, then 3G an image seen → 1.5G, then G → 1.375G").isEqualTo(11 * G / 8);
        assertThat(memory.tryReserve(5)).as("3G + 5 × 1.375G = 9.875G").isNotNull();
    }

    @Test
    void the_expected_size_of_an_image_follows_the_sizes_seen() {
        var memory = new ImageMemory(1L << 40);
        assertThat(memory.expectedFor(2)).isEqualTo(2 * G);
        for (int i = 0; i < 40; i++) memory.tryReserve(1).settle(4 * 100_000, 4);
        assertThat(memory.expectedFor(1)).isBetween(100_000L, 110_000L);
    }

    @Test
    void a_waiting_job_is_let_in_on_the_sizes_seen_while_it_waited_not_on_the_guess_it_came_with() throws Exception {
        var memory = new ImageMemory(10 * G);
        List<ImageMemory.Reservation> first = new ArrayList<>(); // a burst's first jobs, on the first guess
        for (int i = 0; i < 10; i++) first.add(memory.reserve(1));
        List<CompletableFuture<ImageMemory.Reservation>> behind = new ArrayList<>();
        for (int i = 0; i < 50; i++) behind.add(waitFor(memory, 1));
        awaitTrue(() -> memory.waiting() == 50);
        assertThat(memory.expectedFor(50)).as("on the first guess, 50 do not fit").isGreaterThan(10 * G);

        for (var job : first) job.settle(1_000, 1); // their images were 1 KB each, not 2 MB
        // all 50 let in while the first ten still hold theirs: on the guess they came with, room for 9 of them
        for (var job : behind) job.get(5, TimeUnit.SECONDS);
        assertThat(memory.waiting()).isZero();
    }

    @Test
    void waiting_jobs_are_let_in_in_the_order_they_came_and_a_later_one_does_not_overtake() throws Exception {
        var memory = new ImageMemory(10 * G);
        ImageMemory.Reservation first = memory.reserve(8);
        CompletableFuture<ImageMemory.Reservation> big = waitFor(memory, 6);
        awaitTrue(() -> memory.waiting() == 1);
        CompletableFuture<ImageMemory.Reservation> small = waitFor(memory, 2);
        awaitTrue(() -> memory.waiting() == 2);
        assertThat(memory.tryReserve(1)).as("8 + 1 fits, but two jobs wait before it").isNull();
        Thread.sleep(100);
        assertThat(small).as("8 + 2 fits, but the job of 6 came first").isNotDone();

        first.close();
        big.get(5, TimeUnit.SECONDS);
        small.get(5, TimeUnit.SECONDS);
        assertThat(memory.used()).isEqualTo(8 * G);
        assertThat(memory.waiting()).isZero();
    }

    @Test
    void a_share_given_back_lets_in_only_the_jobs_it_has_room_for() throws Exception {
        var memory = new ImageMemory(10 * G);
        ImageMemory.Reservation held = memory.reserve(10);
        List<CompletableFuture<ImageMemory.Reservation>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queued.add(waitFor(memory, 5));
            int n = i + 1;
            awaitTrue(() -> memory.waiting() == n); // one at a time, so the order is known
        }
        held.close();
        queued.get(0).get(5, TimeUnit.SECONDS);
        queued.get(1).get(5, TimeUnit.SECONDS);
        assertThat(memory.used()).isEqualTo(10 * G);
        assertThat(memory.waiting()).isEqualTo(98);
        assertThat(queued.subList(2, 100)).noneMatch(CompletableFuture::isDone);

        queued.get(1).get().close(); // room for one more
        queued.get(2).get(5, TimeUnit.SECONDS);
        assertThat(memory.waiting()).isEqualTo(97);
        assertThat(memory.used()).isEqualTo(10 * G);
        assertThat(queued.subList(3, 100)).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void a_waiting_job_interrupted_leaves_the_queue_and_lets_the_ones_behind_it_in() throws Exception {
        var memory = new ImageMemory(10 * G);
        memory.reserve(8);
        var interrupted = new CompletableFuture<Throwable>();
        Thread big = Thread.ofVirtual().start(() -> {
            try {
                memory.reserve(6);
                interrupted.complete(null);
            } catch (InterruptedException e) {
                interrupted.complete(e);
            }
        });
        awaitTrue(() -> memory.waiting() == 1);
        CompletableFuture<ImageMemory.Reservation> small = waitFor(memory, 2);
        awaitTrue(() -> memory.waiting() == 2);

        big.interrupt();
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        small.get(5, TimeUnit.SECONDS);
        assertThat(memory.used()).as("8 and the small job's 2; nothing of the interrupted one").isEqualTo(10 * G);
        assertThat(memory.waiting()).isZero();
    }

    /** A job on a thread of its own waiting for room for {@code images} images. */
    private static CompletableFuture<ImageMemory.Reservation> waitFor(ImageMemory memory, int images) {
        var got = new CompletableFuture<ImageMemory.Reservation>();
        Thread.ofVirtual().start(() -> {
            try {
                got.complete(memory.reserve(images));
            } catch (InterruptedException e) {
                got.completeExceptionally(e);
            }
        });
        return got;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not within 5 s");
            Thread.sleep(1);
        }
    }
}
