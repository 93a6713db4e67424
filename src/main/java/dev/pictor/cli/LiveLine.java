package dev.pictor.cli;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The terminal's view of a running {@code imagine}: what it does now ("queued" while it waits for a provider slot,
 * "generating"), for how long, through which provider and on which attempt. On a terminal it is one line rewritten
 * in place every second; elsewhere (a pipe, a file, a test) a line is printed only when the state changes, so that
 * logs stay readable.
 */
final class LiveLine implements AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private final Clock clock;
    private final Instant start;
    private final ScheduledExecutorService ticker;
    private final Locale locale;
    private String phase;
    private String provider;
    private int attempt;
    private String lastShown;
    private boolean closed;

    /** The operator's language, for whatever else this run prints. */
    Locale locale() {
        return locale;
    }

    LiveLine(PrintWriter err, boolean terminal, Clock clock) {
        this(err, terminal, clock, terminal ? Duration.ofSeconds(1) : null);
    }

    /** {@code tickEvery}: how often the terminal's line is redrawn with the new time (null: only on changes). */
    LiveLine(PrintWriter err, boolean terminal, Clock clock, Duration tickEvery) {
        this(err, terminal, clock, tickEvery, Messages.ENGLISH);
    }

    /** {@code locale}: the operator's language ({@link CliContext#locale()}). */
    LiveLine(PrintWriter err, boolean terminal, Clock clock, Duration tickEvery, Locale locale) {
        this.locale = locale;
        this.phase = Messages.render(locale, Msg.CLI_STARTING);
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.start = clock.instant();
        if (tickEvery != null) {
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("imagine-live-line").factory());
            ticker.scheduleAtFixedRate(this::tick, tickEvery.toMillis(), tickEvery.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    synchronized void phase(String phase) {
        this.phase = phase;
        render();
    }

    synchronized void calling(String provider, int attempt) {
        this.provider = provider;
        this.attempt = attempt;
        this.phase = Messages.render(locale, Msg.CLI_GENERATING);
        render();
    }

    /** A line of its own (a failed attempt, a path written), above the live line. */
    synchronized void note(String line) {
        if (terminal && !closed) err.print("\r\u001b[K");
        err.println(line);
        if (terminal && !closed) render();
        err.flush();
    }

    private synchronized void tick() {
        if (!closed) render();
    }

    private void render() {
        if (closed) return;
        String what = phase + (provider == null ? ""
                : " · " + Messages.render(locale, Msg.CLI_ATTEMPT, "provider", provider, "attempt", attempt));
        String seconds = Messages.render(locale, Msg.UNIT_SECONDS, "n", Duration.between(start, clock.instant()).toSeconds());
        if (terminal) {
            err.print("\r" + what + " · " + seconds + "\u001b[K");
        } else if (!what.equals(lastShown)) {
            err.println(what + " · " + seconds);
        }
        lastShown = what;
        err.flush();
    }

    /** Clears the line (on a terminal) and stops the ticking; lines after this print as they are. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (ticker != null) ticker.shutdownNow();
        if (terminal) err.print("\r\u001b[K");
        err.flush();
    }
}
