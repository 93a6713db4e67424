package dev.pictor.discord;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle of a {@link DiscordRig} shared by a test class: started once before all tests (by default waiting
 * until the bot has declared its global commands), reset before each test (no AI/ML API requests or admin operations
 * left over, unlimited quota), every call the bot made during a test checked against Discord's spec after it, and
 * closed after all. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DiscordRigExtension bot = new DiscordRigExtension(DiscordRig::start, r -> rig = r);
 * }</pre>
 */
final class DiscordRigExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** Starts the rig; runs in {@code beforeAll}, so a static {@code @TempDir} of the class is already there. */
    @FunctionalInterface
    interface Start {
        DiscordRig start() throws Exception;
    }

    private final Start start;
    private final Consumer<DiscordRig> started;
    private boolean awaitCommands = true;
    private boolean resetEachTest = true;
    private boolean checkSpec = true;
    private DiscordRig rig;

    /** {@code started} is handed the running rig (typically to set the test class's static field). */
    DiscordRigExtension(Start start, Consumer<DiscordRig> started) {
        this.start = start;
        this.started = started;
    }

    /** Does not wait for the global commands before the tests (a test that restarts the bot, a sharded or guild bot). */
    DiscordRigExtension withoutAwaitingCommands() {
        awaitCommands = false;
        return this;
    }

    /** Does not reset the rig before each test (the tests build on each other's state, or there is one). */
    DiscordRigExtension withoutResets() {
        resetEachTest = false;
        return this;
    }

    /** Does not check the calls against the spec after each test (the test checks them itself, where it matters). */
    DiscordRigExtension withoutSpecChecks() {
        checkSpec = false;
        return this;
    }

    DiscordRig rig() {
        return rig;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        rig = start.start();
        started.accept(rig);
        if (awaitCommands) rig.fake.awaitCommands("global");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (resetEachTest) rig.reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (checkSpec) assertThat(rig.fake.drainViolations()).as("calls that break Discord's spec").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (rig != null) rig.close();
    }
}
