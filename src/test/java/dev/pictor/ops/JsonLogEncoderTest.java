package dev.pictor.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON log line a collector reads: ISO-8601 time, the job's fields at the top level, secrets masked. */
class JsonLogEncoderTest {
    static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(String message, Object... args) {
        var ctx = new LoggerContext();
        var e = new LoggingEvent("x", ctx.getLogger("dev.pictor.core.GenerationService"), Level.INFO, message, null, args);
        e.setTimeStamp(Instant.parse("2026-12-01T22:28:24.123Z").toEpochMilli());
        e.setThreadName("job-7");
        return e;
    }

    private static JsonNode encode(LoggingEvent e) throws Exception {
        var encoder = new RedactingEncoder();
        encoder.setDelegate(new JsonLogEncoder());
        encoder.start();
        String line = new String(encoder.encode(e), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        return JSON.readTree(line);
    }

    @Test
    void a_jobs_end_is_one_json_object_with_an_iso_time_and_the_jobs_fields_at_the_top_level() throws Exception {
        // given the line GenerationService writes at a job's end, inside the job's MDC
        var e = event("job {}: succeeded 2/2 images via {} in {} ms", "k3v9", "aimlapi:imagen-4", 2013);
        e.setMDCPropertyMap(Map.of("job", "k3v9", "platform", "telegram", "model", "imagen-4"));
        e.setKeyValuePairs(List.of(new KeyValuePair("outcome", "succeeded"), new KeyValuePair("duration_ms", 2013L),
                new KeyValuePair("provider", "aimlapi")));
        // when
        JsonNode json = encode(e);
        // then
        assertThat(json.get("time").asText()).isEqualTo("2026-12-01T22:28:24.123Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("dev.pictor.core.GenerationService");
        assertThat(json.get("thread").asText()).isEqualTo("job-7");
        assertThat(json.get("message").asText()).isEqualTo("job k3v9: succeeded 2/2 images via aimlapi:imagen-4 in 2013 ms");
        assertThat(json.get("job").asText()).isEqualTo("k3v9");
        assertThat(json.get("platform").asText()).isEqualTo("telegram");
        assertThat(json.get("model").asText()).isEqualTo("imagen-4");
        assertThat(json.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(json.get("provider").asText()).isEqualTo("aimlapi");
        assertThat(json.get("duration_ms").isNumber()).isTrue();
        assertThat(json.get("duration_ms").asLong()).isEqualTo(2013);
    }

    @Test
    void a_stack_trace_stays_inside_the_one_line_and_secrets_are_masked_everywhere() throws Exception {
        Secrets.register("sk-json-secret-4242424242");
        var e = event("call failed with \"sk-json-secret-4242424242\" in the message");
        e.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("key sk-json-secret-4242424242 refused")));
        e.setMDCPropertyMap(Map.of("job", "j1"));
        JsonNode json = encode(e);
        assertThat(json.toString()).doesNotContain("sk-json-secret-4242424242");
        assertThat(json.get("message").asText()).isEqualTo("call failed with \"***\" in the message");
        assertThat(json.get("exception").asText()).contains("IllegalStateException").contains("key *** refused")
                .contains("at dev.pictor.ops.JsonLogEncoderTest");
    }

    @Test
    void unknown_format_and_level_give_one_warning_each_and_fall_back_to_the_defaults() {
        String format = System.getProperty("pictor.log.format"), level = System.getProperty("pictor.log.level");
        try {
            var warnings = LogSetup.prepare(Map.of("PICTOR_LOG_FORMAT", "xml", "PICTOR_LOG_LEVEL", "verbose")::get);
            assertThat(warnings).containsExactly(
                    "PICTOR_LOG_FORMAT=xml is not a log format pictor knows (text, json); using text",
                    "PICTOR_LOG_LEVEL=verbose is not a log level pictor knows (ERROR, WARN, INFO, DEBUG, TRACE); using INFO");
            assertThat(System.getProperty("pictor.log.format")).isEqualTo("text");
            assertThat(System.getProperty("pictor.log.level")).isEqualTo("INFO");
            assertThat(LogSetup.prepare(Map.of("PICTOR_LOG_FORMAT", "JSON", "PICTOR_LOG_LEVEL", "debug")::get)).isEmpty();
            assertThat(System.getProperty("pictor.log.format")).isEqualTo("json");
            assertThat(System.getProperty("pictor.log.level")).isEqualTo("DEBUG");
            assertThat(LogSetup.prepare(Map.<String, String>of()::get)).isEmpty();
            assertThat(System.getProperty("pictor.log.format")).isEqualTo("text");
        } finally {
            restore("pictor.log.format", format);
            restore("pictor.log.level", level);
        }
    }

    @Test
    void a_line_written_on_a_job_thread_gives_its_buffers_back_to_one_shared_pool_instead_of_keeping_them() throws Exception {
        // given a job's virtual thread that writes one log line and ends
        var e = event("job {}: queued", "k3v9");
        Thread job = Thread.ofVirtual().start(() -> {
            try {
                encode(e);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        job.join();
        // then the generator's buffers (about 16 KB) wait in the shared pool for the next line, on whatever thread: a
        // thread-local pool would keep them for as long as each job's thread lives (issue #15)
        assertThat(JsonLogEncoder.bufferPool().pooledCount()).isPositive();
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
