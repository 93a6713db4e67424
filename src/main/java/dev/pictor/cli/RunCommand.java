package dev.pictor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.pictor.app.DiscordBots;
import dev.pictor.app.Services;
import dev.pictor.app.TelegramBots;
import dev.pictor.config.BotProfile;
import dev.pictor.config.Units;

import dev.pictor.ops.OpsServer;
import dev.pictor.store.StoreException;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code pictor run}: starts every Discord and Telegram bot profile whose token is set, plus the HTTP endpoints.
 * With no bot to run it exits with {@link ExitCodes#CANNOT_START}, with a database it cannot open with
 * {@link ExitCodes#STORAGE}; otherwise it runs until the process is stopped
 * (SIGTERM, Ctrl-C), then stops taking Telegram commands, lets running jobs finish for up to {@code shutdown.grace}
 * (the rest are refunded and their members told) and disconnects.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start every bot whose token is set, and the HTTP endpoints.")
final class RunCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--stop-after-start", hidden = true, description = "Start everything, then stop at once (smoke test).")
    boolean stopAfterStart;

    RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var loaded = options.load(ctx, true);
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        var report = new CheckReport(loaded);
        report.warnings().forEach(w -> ctx.err().println("warning: " + w));
        ctx.err().println(report.summary());
        if (loaded.bots().stream().noneMatch(BotProfile::enabled)) {
            ctx.err().println("pictor run: no bot to start (no Discord or Telegram profile with a token), so nothing was started."
                    + " Use `pictor imagine` to generate from the terminal.");
            ctx.err().flush();
            return ExitCodes.CANNOT_START;
        }
        // the database opens on a thread of its own while the Discord bots log in here (issue #15: start-up time);
        // their IDENTIFY and every event wait for the services
        var opening = Services.opening(loaded);
        DiscordBots.Connecting connecting;
        try {
            connecting = DiscordBots.connect(loaded.bots(), opening);
        } catch (IllegalStateException e) {
            Services services = opened(opening);
            if (services == null) return storageFailed(loaded, opening);
            services.close();
            ctx.err().println("pictor run: " + withAdvice(e.getMessage()));
            ctx.err().flush();
            return ExitCodes.BAD_CONFIG;
        }
        Services services = opened(opening);
        if (services == null) {
            connecting.close();
            return storageFailed(loaded, opening);
        }
        OpsServer ops;
        // "started": up once every bot has started (and its own check is registered below), down once the stop begins
        var started = new AtomicBoolean();
        try {
            ops = new OpsServer(loaded.config().http().host(), loaded.config().http().port(), services.metrics())
                    .checkWithReason("storage", () -> {
                        var storage = services.storage();
                        return new OpsServer.Check(storage.up(), storage.reason());
                    }).check("started", started::get)
                    .checkWithReason("routes", services.routeHealth()::check)
                    .detail("routes", services.routeHealth()::details).start();
        } catch (IOException | RuntimeException e) {
            connecting.close();
            services.close();
            ctx.err().println("pictor run: cannot serve /healthz and /metrics on " + loaded.config().http().bind() + " port "
                    + loaded.config().http().port() + " (" + e.getMessage() + "); set http.port to a free port"
                    + " (and http.bind to an address of this host).");
            ctx.err().flush();
            return ExitCodes.CANNOT_START;
        }
        DiscordBots discord;
        try {
            discord = connecting.start(services);
        } catch (IllegalStateException e) {
            ops.close();
            services.close();
            ctx.err().println("pictor run: " + withAdvice(e.getMessage()));
            ctx.err().flush();
            return ExitCodes.BAD_CONFIG;
        }
        TelegramBots telegram;
        try {
            telegram = TelegramBots.start(loaded.bots(), services, ops::receive);
        } catch (IllegalStateException | IllegalArgumentException e) {
            discord.close();
            ops.close();
            services.close();
            ctx.err().println("pictor run: " + withAdvice(e.getMessage()));
            ctx.err().flush();
            return ExitCodes.BAD_CONFIG;
        }
        discord.bots().forEach(b -> ops.check("bot:" + b.settings().name(), b::connected));
        telegram.bots().forEach(b -> ops.checkWithReason("bot:" + b.name(), () -> new OpsServer.Check(b.running(), b.trouble())));
        started.set(true);
        var training = AotTraining.started(() -> services.generation().running() == 0);
        ctx.err().println("pictor run: started " + Stream.concat(
                        discord.bots().stream().map(b -> "discord bot " + b.settings().name()
                                + (b.introduction() == null ? "" : " (" + b.introduction() + ")")),
                        telegram.bots().stream().map(b -> "telegram bot " + b.name() + " (@" + b.username()
                                + (b.webhookUrl() == null ? "" : ", updates by webhook at " + b.webhookUrl()) + ")"))
                .collect(Collectors.joining(", ")) + "; /healthz and /metrics on port " + ops.port()
                + "; stop with Ctrl-C or SIGTERM.");
        ctx.err().flush();
        Duration grace = loaded.config().shutdown().grace();
        var stop = new Once(() -> {
            started.set(false);
            training.close(); // a training run stopped before its length writes the cache as the JVM exits
            try {
                telegram.close(); // no new commands; running jobs still deliver
                services.generation().drain(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ops.close();
                discord.close();
                services.close();
            }
        });
        if (stopAfterStart) {
            stop.run();
            ctx.err().println("pictor run: stopped.");
            ctx.err().flush();
            return ExitCodes.OK;
        }
        // SIGTERM and Ctrl-C release the wait below, so that a stop in order exits 0; the hook covers the other ways
        // the JVM can be ended (SIGHUP, a signal that could not be caught), and does nothing after a stop here.
        var signals = StopSignals.install();
        var hook = new Thread(stop, "pictor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String signal;
        try {
            signal = signals.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            signal = "an interrupt";
        }
        ctx.err().println("pictor run: " + signal + " received; stopping (running jobs may finish for up to "
                + Units.format(grace) + ").");
        ctx.err().flush();
        stop.run();
        ctx.err().println("pictor run: stopped.");
        ctx.err().flush();
        return ExitCodes.OK;
    }

    /** The services once open; null when they could not be (the failure is in {@code opening}). */
    private static Services opened(CompletableFuture<Services> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    /** Says why the services could not start: the database ({@link ExitCodes#STORAGE}) or anything else. */
    private int storageFailed(dev.pictor.config.LoadedConfig loaded, CompletableFuture<Services> opening) {
        Throwable cause = opening.handle((s, e) -> e instanceof CompletionException c ? c.getCause() : e).join();
        if (cause instanceof StoreException e) {
            ctx.err().println("pictor run: cannot open the database at storage.url (" + loaded.config().storage().shownUrl()
                    + "): " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.STORAGE;
        }
        ctx.err().println("pictor run: cannot start: " + cause.getMessage());
        ctx.err().flush();
        return ExitCodes.CANNOT_START;
    }

    /** A bot's start failure, with the token advice only when the bot's own message gives none. */
    private static String withAdvice(String message) {
        return message.toLowerCase(Locale.ROOT).contains("check ") ? message + "."
                : message + ". Check the token (`pictor check` shows where it comes from).";
    }

    /** Runs the stop once; a second caller (the shutdown hook during a signalled stop) waits until it has ended. */
    private static final class Once implements Runnable {
        private final Runnable action;
        private boolean done;

        Once(Runnable action) {
            this.action = action;
        }

        @Override
        public synchronized void run() {
            if (done) return;
            done = true;
            action.run();
        }
    }
}
