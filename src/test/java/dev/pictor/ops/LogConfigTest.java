package dev.pictor.ops;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logging pictor sets up in code (no XML to read at start): what an admin reads on stderr in either format, with
 * the levels the old logback.xml gave, every secret masked.
 */
class LogConfigTest {
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void captureStderr() {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's own start gives it
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // the console appender takes it at start
    }

    @AfterEach
    void restore() {
        context.stop();
        System.setErr(realErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void text_lines_carry_time_level_thread_and_logger_with_secrets_masked_and_libraries_only_from_warn() {
        Secrets.register("sk-logconfig-test-7777777777");
        LogConfig.apply(context, "text", "INFO");
        context.getLogger("dev.pictor.discord.DiscordBot").info("bot discord: logged in with key sk-logconfig-test-7777777777");
        context.getLogger("dev.pictor.core.X").debug("not shown at INFO");
        context.getLogger("okhttp3.OkHttpClient").info("not shown: libraries warn only");
        context.getLogger("net.dv8tion.jda.api.JDA").info("Login Successful!");
        context.getLogger("org.flywaydb.core.Flyway").warn("a library's warning");
        String out = stderr();
        assertThat(out.lines().toList()).hasSize(3);
        assertThat(out).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+] d\\.p\\.d\\.DiscordBot - bot discord: logged in with key ")
                .doesNotContain("sk-logconfig-test-7777777777")
                .contains("Login Successful!").contains("WARN  ").contains("a library's warning")
                .doesNotContain("not shown");
    }

    @Test
    void json_lines_when_chosen_and_pictors_own_level_as_chosen() {
        LogConfig.apply(context, "json", "DEBUG");
        context.getLogger("dev.pictor.core.X").debug("shown at DEBUG");
        context.getLogger("okhttp3.OkHttpClient").debug("still not shown");
        assertThat(stderr().lines().toList()).singleElement().satisfies(line ->
                assertThat(line).startsWith("{").contains("\"level\":\"DEBUG\"").contains("shown at DEBUG"));
    }

    @Test
    void an_unknown_level_means_info() {
        LogConfig.apply(context, null, "LOUD");
        context.getLogger("dev.pictor.core.X").debug("hidden");
        context.getLogger("dev.pictor.core.X").info("shown");
        assertThat(stderr()).contains("shown").doesNotContain("hidden");
    }
}
