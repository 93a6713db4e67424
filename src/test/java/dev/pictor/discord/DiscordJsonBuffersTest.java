package dev.pictor.discord;

import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.internal.utils.SerializationUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffers JDA's JSON is read and written with. JDA's REST requests run on its "RateLimit-Elastic" workers, as
 * many threads as requests in flight (~130 in a burst of 1,000 interactions), each kept 60 s once idle; with Jackson's
 * default pool each of them kept its own buffers (an 8 KB {@code char[4000]} and more) in a thread-local for as long
 * (issue #15). Once a connection is made, JDA's one mapper uses a bounded pool shared by every thread instead.
 */
class DiscordJsonBuffersTest {
    @Test
    void json_jda_writes_and_reads_on_its_worker_threads_gives_its_buffers_back_to_one_shared_pool() throws Exception {
        // given the Discord connection's class loaded, as before any bot logs in
        Class.forName(DiscordConnection.class.getName(), true, getClass().getClassLoader());
        var factory = SerializationUtil.getObjectWriter(false).getFactory();
        assertThat(factory._getRecyclerPool()).isSameAs(DiscordConnection.JDA_JSON_BUFFERS);
        // when a platform thread, as JDA's REST workers are, writes a request's body and reads an answer
        Thread worker = new Thread(() -> {
            byte[] body = DataObject.empty().put("type", 5).put("data", DataObject.empty().put("flags", 0)).toJson();
            DataObject.fromJson(body);
        }, "JDA RateLimit-Elastic-Worker 1");
        worker.start();
        worker.join();
        // then its buffers are in the shared pool, for the next thread, not kept by the worker
        assertThat(factory._getRecyclerPool().pooledCount()).isPositive();
    }
}
