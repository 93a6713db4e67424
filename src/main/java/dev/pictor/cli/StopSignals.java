package dev.pictor.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * How {@code pictor run} hears that it should stop: SIGTERM ({@code docker stop}, systemd, {@code kill}) and SIGINT
 * (Ctrl-C) are caught and only release {@link #await}, so that the stop runs on run's own thread and the process
 * exits 0 once it has stopped in order. Left to the JVM, these signals run the shutdown hooks and end the process
 * with 143 or 130 however well the stop went, which a supervisor reads as a crash.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to catch a signal; javac warns that it is
 * internal. Where a signal cannot be caught (another OS, {@code -Xrs}) the JVM keeps its own handling and run's
 * shutdown hook still stops in order.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> NAMES = List.of("TERM", "INT");

    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String signal;

    private StopSignals() {
    }

    /** Catches SIGTERM and SIGINT from now on. */
    static StopSignals install() {
        var signals = new StopSignals();
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), s -> signals.receive("SIG" + s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("SIG{} cannot be caught here ({}); the shutdown hook handles it", name, e.getMessage());
            }
        }
        return signals;
    }

    private void receive(String name) {
        if (signal != null) {
            // A second Ctrl-C or SIGTERM: the admin does not want to wait for the drain.
            log.warn("{} again: stopping now; jobs still open are refunded and repaired at the next start", name);
            Runtime.getRuntime().halt(ExitCodes.REFUSED);
        }
        signal = name;
        received.countDown();
    }

    /** Waits for the first caught signal; returns its name. */
    String await() throws InterruptedException {
        received.await();
        return signal;
    }
}
