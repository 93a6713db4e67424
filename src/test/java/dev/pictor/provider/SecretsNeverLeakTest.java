package dev.pictor.provider;

import java.util.Locale;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.pictor.core.Route;
import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

import static dev.pictor.provider.Pipeline.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The API key never shows in an exception, a log line, a refusal or the ledger, even when a provider echoes it. */
class SecretsNeverLeakTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger pictorLogger = (Logger) LoggerFactory.getLogger("dev.pictor");
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        previousLevel = pictorLogger.getLevel();
        pictorLogger.setLevel(Level.DEBUG);
        logs.start();
        pictorLogger.addAppender(logs);
    }

    @AfterEach
    void release() {
        pictorLogger.detachAppender(logs);
        pictorLogger.setLevel(previousLevel);
    }

    @Test
    void noFailureRevealsTheKey_evenWhenTheGatewayEchoesIt() throws Exception {
        try (var fake = new FakeProvider()) {
            // given a provider that echoes the key back in every way it can go wrong
            fake.thenAnswer(401, "{\"error\":\"Invalid API key: " + KEY + "\"}")
                    .thenAnswer(400, "{\"error\":\"bad header Authorization: Bearer " + KEY + "\"}")
                    .thenAnswer(422, "{\"error\":\"prompt blocked by safety filter for key " + KEY + "\"}")
                    .thenAnswer(new MockResponse.Builder().code(200).body("<html>key=" + KEY + "</html>").build())
                    .thenAnswer(200, "{\"note\":\"" + KEY + "\"}")
                    .thenAnswer(200, "{\"data\":[{\"b64_json\":\"" + KEY + "!!\"}]}")
                    .thenAnswer(new MockResponse.Builder().code(503).setHeader("Retry-After", KEY).body(KEY).build())
                    .thenAnswer(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build());
            var settings = new ProviderSettings("gw", "aimlapi", fake.base(""), KEY, Duration.ofSeconds(5), 4, null, Map.of());
            var provider = Providers.create(settings, Pipeline.PROVIDERS);
            var call = new ProviderCall("imagen-3.0-generate-002", "a fox", "1:1", 1, null, true);

            // when each failure happens, directly and through the pipeline
            var messages = new ArrayList<String>();
            for (int i = 0; i < 8; i++) {
                var e = catchThrowableOfType(ProviderException.class, () -> provider.generate(call));
                assertThat(e).as("failure %d", i).isNotNull();
                for (Throwable t = e; t != null; t = t.getCause()) messages.add(String.valueOf(t.getMessage()));
            }
            fake.alwaysAnswer(FakeProvider.json(401, "{\"error\":\"Invalid API key: " + KEY + "\"}"));
            var p = Pipeline.withLoopbackFetcher().add(settings);
            var outcome = p.run(Pipeline.model("imagen-3", new Route("gw", "imagen-3.0-generate-002")), "a fox", "1:1", 1, null, true);
            messages.add(outcome.refusal().message(Locale.ENGLISH));
            messages.add(p.ledger.only().toString());

            // then the key is nowhere, though the requests did carry it
            assertThat(fake.generations).allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY));
            assertThat(messages).hasSizeGreaterThan(9).noneMatch(m -> m.contains(KEY));
            assertThat(logs.list).isNotEmpty();
            assertThat(logs.list).allSatisfy(event -> {
                assertThat(event.getFormattedMessage()).doesNotContain(KEY);
                assertThat(throwableText(event.getThrowableProxy())).doesNotContain(KEY);
            });
            assertThat(settings.toString()).doesNotContain(KEY);
            assertThat(provider.toString()).doesNotContain(KEY);
        }
    }

    private static String throwableText(IThrowableProxy proxy) {
        var out = new StringBuilder();
        for (IThrowableProxy t = proxy; t != null; t = t.getCause()) out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
        return out.toString();
    }

}
