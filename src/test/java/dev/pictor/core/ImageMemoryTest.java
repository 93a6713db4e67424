package dev.pictor.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ImageMemoryTest {
    @Test
    void a_job_that_does_not_fit_waits_until_another_gives_its_share_back() throws Exception {
        var memory = new ImageMemory(10);
        ImageMemory.Reservation first = memory.reserve(8);
        assertThat(memory.tryReserve(4)).as("8 + 4 is over 10").isNull();

        var second = CompletableFuture.supplyAsync(() -> {
            try {
                return memory.reserve(4);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(second).isNotDone();

        first.close();
        ImageMemory.Reservation got = second.get(5, TimeUnit.SECONDS);
        assertThat(memory.used()).isEqualTo(4);
        got.close();
        got.close(); // once
        assertThat(memory.used()).isZero();
    }

    @Test
    void a_job_alone_always_proceeds_however_large_and_settling_may_go_over_holding_back_the_next() {
        var memory = new ImageMemory(10);
        ImageMemory.Reservation big = memory.tryReserve(50);
        assertThat(big).as("nothing else is held").isNotNull();
        big.close();

        ImageMemory.Reservation job = memory.tryReserve(4);
        job.settle(12, 4); // its images turned out larger than expected: already in memory, so held
        assertThat(memory.used()).isEqualTo(12);
        assertThat(memory.tryReserve(1)).isNull();
        job.settle(3, 1);
        assertThat(memory.used()).isEqualTo(3);
        assertThat(memory.tryReserve(7)).isNotNull();
    }

    @Test
    void the_expected_size_of_an_image_follows_the_sizes_seen() {
        var memory = new ImageMemory(1L << 40);
        assertThat(memory.expectedFor(2)).isEqualTo(2 * ImageMemory.FIRST_GUESS);
        for (int i = 0; i < 40; i++) memory.tryReserve(1).settle(4 * 100_000, 4);
        assertThat(memory.expectedFor(1)).isBetween(100_000L, 110_000L);
    }
}
