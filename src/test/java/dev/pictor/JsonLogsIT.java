package dev.pictor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs of the real jar as a log collector reads them: with {@code PICTOR_LOG_FORMAT=json} every line it prints
 * is one JSON object (pictor's own start and stop lines too) with an ISO-8601 time, and a job's end carries the
 * job, outcome, model, provider, platform and duration as fields, never the prompt or a secret. A value of the log
 * variables pictor does not know gives one warning and the default, not silence.
 */
class JsonLogsIT {
    static final User ZOE = new User(5151, "Zoe", "zoe");
    static final Chat ZOE_DM = Chat.privateWith(ZOE);

    @TempDir
    Path dir;
    JarRig rig;

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    @Test
    void with_json_logs_every_line_of_a_run_parses_and_the_jobs_end_has_its_fields() throws Exception {
        // given the jar started with JSON logs
        rig = new JarRig(dir);
        rig.env.put("PICTOR_LOG_FORMAT", "json");
        rig.startReady();
        // when Zoe asks for a picture, and the process is then stopped
        int ask = rig.telegram.says(ZOE_DM, ZOE, "/imagine an otter juggling pebbles");
        rig.telegram.awaitBotMessage(ZOE_DM.id(), (Sent m) -> m.kind.equals("photo") && m.replyTo == ask);
        rig.await(() -> rig.allOutput().contains("\"outcome\":\"succeeded\"") ? true : null, "no job end logged");
        rig.process.destroy();
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String output = rig.allOutput();
        // then every line is a JSON object with an ISO-8601 time, a level and a message
        var lines = new ArrayList<JsonNode>();
        for (String line : output.lines().toList()) {
            JsonNode json;
            try {
                json = JarRig.JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line + "\n--- the whole output:\n" + output);
            }
            assertThat(json.isObject()).as(line).isTrue();
            assertThat(Instant.parse(json.get("time").asText())).as(line).isNotNull();
            assertThat(json.get("level").asText()).as(line).isIn("ERROR", "WARN", "INFO", "DEBUG");
            assertThat(json.hasNonNull("message")).as(line).isTrue();
            lines.add(json);
        }
        // including pictor's own start and stop lines
        assertThat(lines).anyMatch(j -> j.get("message").asText().startsWith("pictor run: started telegram bot telegram"));
        assertThat(lines).anyMatch(j -> j.get("message").asText().equals("pictor run: stopped."));
        // and the job's end has its fields
        List<JsonNode> ends = lines.stream().filter(j -> j.has("outcome")).toList();
        assertThat(ends).hasSize(1);
        JsonNode job = ends.getFirst();
        assertThat(job.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(job.get("model").asText()).isEqualTo("imagen-4");
        assertThat(job.get("provider").asText()).isEqualTo("aimlapi");
        assertThat(job.get("platform").asText()).isEqualTo("telegram");
        assertThat(job.get("job").asText()).matches("[0-9a-z]{16}");
        assertThat(job.get("duration_ms").isNumber()).isTrue();
        // and no line holds the prompt at INFO, or a secret
        assertThat(lines).filteredOn(j -> j.get("level").asText().equals("INFO"))
                .noneMatch(j -> j.toString().contains("otter juggling"));
        assertThat(output).doesNotContain(JarRig.GATEWAY_KEY).doesNotContain(dev.pictor.telegram.fake.FakeTelegram.TOKEN);
    }

    @Test
    void an_unknown_log_format_or_level_gives_one_warning_each_and_the_text_lines_still_show() throws Exception {
        // given values pictor does not know
        rig = new JarRig(dir);
        rig.env.put("PICTOR_LOG_FORMAT", "xml");
        rig.env.put("PICTOR_LOG_LEVEL", "verbose");
        // when
        rig.startReady();
        rig.process.destroy();
        assertThat(rig.process.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String output = rig.allOutput();
        // then one warning each, and pictor's INFO lines (not DEBUG ones) in text
        assertThat(output.lines().filter(l -> l.contains("PICTOR_LOG_FORMAT=xml is not a log format pictor knows (text, json); using text")))
                .hasSize(1);
        assertThat(output.lines().filter(l -> l.contains("PICTOR_LOG_LEVEL=verbose is not a log level pictor knows")))
                .hasSize(1);
        assertThat(output).contains("INFO ").contains("Telegram bot telegram is polling as @").doesNotContain(" DEBUG ");
    }
}
