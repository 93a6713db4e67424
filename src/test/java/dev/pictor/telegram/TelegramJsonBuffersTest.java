package dev.pictor.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapper the Telegram bot sends and reads with: a job's or an update's virtual thread that sent a message gives
 * the parser and generator buffers back to one shared pool when it is done, instead of keeping them (about 16 KB)
 * for as long as it lives, as Jackson's default thread-local pool would (issue #15, live heap per waiting job).
 */
class TelegramJsonBuffersTest {
    @Test
    void a_message_written_on_a_job_thread_leaves_its_buffers_in_the_shared_pool() throws Exception {
        ObjectMapper json = TelegramBot.mapper();
        Thread job = Thread.ofVirtual().start(() -> {
            try {
                json.readTree(json.writeValueAsBytes(Map.of("chat_id", 42, "text", "⏳ queued")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        job.join();
        assertThat(json.getFactory()._getRecyclerPool().pooledCount()).isPositive();
    }
}
