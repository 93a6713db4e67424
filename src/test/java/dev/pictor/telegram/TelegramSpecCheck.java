package dev.pictor.telegram;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After each test: closes the {@link TelegramHarness} the test started (if it started one) and checks that every
 * call the bot made to the fake Bot API matched the spec. Register it on an instance field that reads the test's
 * harness field lazily:
 *
 * <pre>{@code
 * TelegramHarness h;
 * @RegisterExtension
 * final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);
 * }</pre>
 *
 * It runs after the class's own {@code @AfterEach} methods.
 */
final class TelegramSpecCheck implements AfterEachCallback {
    private final Supplier<TelegramHarness> harness;

    TelegramSpecCheck(Supplier<TelegramHarness> harness) {
        this.harness = harness;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TelegramHarness h = harness.get();
        if (h == null) return;
        var violations = h.telegram.violations();
        h.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }
}
