package dev.pictor.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {
    @Test
    void registered_secrets_and_secret_shapes_are_masked() {
        Secrets.register("sk-live-0123456789abcdef");
        String text = Secrets.redact("key sk-live-0123456789abcdef failed; GET http://x/bot123456789:AAH-abcdefghijklmnopqrstuvwxyz012/getMe"
                + " Authorization: Bearer abc.def-ghi_jkl and Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fghijklmnop");
        assertThat(text).doesNotContain("sk-live-0123456789abcdef").doesNotContain("AAH-abcdef")
                .doesNotContain("abc.def-ghi_jkl").doesNotContain("MTIzNDU2")
                .contains("bot***/getMe").contains("Bearer ***").contains("Bot ***");
    }

    @Test
    void every_secret_shape_is_masked_in_any_case_and_lines_without_one_pass_unchanged() {
        assertThat(Secrets.redact("GET /BOT123456789:AAH-abcdefghijklmnopqrstuvwxyz012/getMe")).isEqualTo("GET /BOT***/getMe");
        assertThat(Secrets.redact("authorization: BEARER abcdefgh12")).isEqualTo("authorization: BEARER ***");
        assertThat(Secrets.redact("authorization: bOT MTIzNDU2Nzg5MDEyMzQ1Njc4")).isEqualTo("authorization: bOT ***");
        assertThat(Secrets.redact("jdbc:postgresql://h/db?user=u&PASSWORD=hunter2&x=1")).isEqualTo("jdbc:postgresql://h/db?user=u&PASSWORD=***&x=1");
        assertThat(Secrets.redact("jdbc:x://h/db;PwD=hunter2")).isEqualTo("jdbc:x://h/db;PwD=***");
        assertThat(Secrets.redact("http://user:hunter2@host/x")).isEqualTo("http://user:***@host/x");
        String plain = "job 01JABCDEF: delivered 1 of 1 image(s) in 2013 ms";
        assertThat(Secrets.redact(plain)).isSameAs(plain);
    }

    @Test
    void secrets_are_masked_as_a_json_encoder_escapes_them_too() {
        Secrets.register("sk-live/AbC\"def\\0123");
        assertThat(Secrets.redact("{\"m\":\"key sk-live\\/AbC\\\"def\\\\0123 refused\"}")).isEqualTo("{\"m\":\"key *** refused\"}");
    }

    @Test
    void short_or_blank_values_are_not_treated_as_secrets() {
        Secrets.register("");
        Secrets.register("abc");
        assertThat(Secrets.redact("abc def")).isEqualTo("abc def");
    }

    @Test
    void log_lines_and_stack_traces_are_redacted_in_text_and_json() {
        Secrets.register("tg-secret-token-999");
        var context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        var logger = context.getLogger("test");
        var event = new LoggingEvent("x", logger, Level.WARN, "calling with {}",
                new IllegalStateException("bad key tg-secret-token-999"), new Object[]{"tg-secret-token-999"});

        var text = new PatternLayoutEncoder();
        text.setPattern("%msg %ex");
        text.setContext(context);
        var json = new JsonEncoder();
        json.setContext(context);
        json.setWithFormattedMessage(true);
        json.setWithArguments(false);
        for (var delegate : new ch.qos.logback.core.encoder.Encoder[]{text, json}) {
            var encoder = new RedactingEncoder();
            encoder.setContext(context);
            @SuppressWarnings("unchecked")
            var d = (ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent>) delegate;
            encoder.setDelegate(d);
            encoder.start();
            String out = new String(encoder.encode(event), StandardCharsets.UTF_8);
            assertThat(out).contains("calling with ***").contains("bad key ***").doesNotContain("tg-secret-token-999");
        }
    }

    @Test
    void aStorageUrlShowsItsHostAndDatabase_butNeverItsPassword() {
        assertThat(Secrets.redact("jdbc:postgresql://db.example:5432/pictor?user=pictor&password=s3cr3t-pw&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example:5432/pictor?user=pictor&password=***&ssl=true");
        assertThat(Secrets.redact("jdbc:postgresql://pictor:s3cr3t-pw@db.example/pictor"))
                .isEqualTo("jdbc:postgresql://pictor:***@db.example/pictor");
        assertThat(Secrets.redact("jdbc:sqlite:data/pictor.db")).isEqualTo("jdbc:sqlite:data/pictor.db");
    }

    @Test
    void aSecretTheCallerHolds_isMaskedWithoutBeingRegistered() {
        assertThat(Secrets.redact("GET /bot-unregistered-token-77/getMe failed", "unregistered-token-77"))
                .isEqualTo("GET /bot-***/getMe failed");
    }

    @Test
    void aQuoteOfARemotesBody_masksWhatMerelyLooksLikeAKey_whileLogLinesKeepJobIds() {
        String body = "{\"error\":\"invalid api_key-abcdef123456 for project 0123456789abcdef0123456789abcdef\"}";
        assertThat(Secrets.redactQuote(body, null)).doesNotContain("abcdef123456").doesNotContain("0123456789abcdef0123");
        String logLine = "job 0b9c4d5e-6f70-4182-93a4-b5c6d7e8f901 delivered";
        assertThat(Secrets.redact(logLine)).isEqualTo(logLine);
    }
}
