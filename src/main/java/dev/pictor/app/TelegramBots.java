package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.core.Platform;
import dev.pictor.telegram.TelegramBot;
import dev.pictor.telegram.TelegramBotSettings;

import com.sun.net.httpserver.HttpHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The Telegram bots of the enabled {@code platform: telegram} profiles, started on the shared services. */
public final class TelegramBots implements AutoCloseable {
    private final List<TelegramBot> bots;

    private TelegramBots(List<TelegramBot> bots) {
        this.bots = List.copyOf(bots);
    }

    /**
     * Starts every enabled Telegram profile (token checked, commands registered, the updates a stopped process had
     * recorded but not handled run again, then polling, or in {@code mode: webhook} the webhook served on its path
     * through {@code receive} and set at Telegram) and tells the members of jobs a stopped process left unfinished. If
     * one fails (Telegram refuses its token, the Bot API is unreachable, the webhook is refused), those already started
     * are stopped and the exception names the profile, never the token.
     *
     * @param receive serves a webhook's handler on a path of pictor's HTTP port ({@code OpsServer::receive})
     */
    public static TelegramBots start(List<BotProfile> profiles, Services services, BiConsumer<String, HttpHandler> receive) {
        var core = services.chatServices();
        var started = new ArrayList<TelegramBot>();
        for (BotProfile p : profiles) {
            if (p.platform() != Platform.TELEGRAM || !p.enabled()) continue;
            var settings = TelegramBotSettings.of(p);
            var bot = new TelegramBot(settings, core, services.http());
            try {
                if (p.usesWebhook()) receive.accept(p.webhookPath(), bot.webhookHandler());
                bot.start();
                started.add(bot);
                services.notices().poster(Platform.TELEGRAM, p.name(), bot::post); // the admins' spend warnings
                bot.tellInterrupted(services.interrupted());
                services.onRepaired(bot::tellInterrupted);
            } catch (RuntimeException e) {
                started.forEach(TelegramBot::close);
                bot.close();
                String why = String.valueOf(e.getMessage()).replace("Telegram bot " + p.name() + ": ", "");
                throw new IllegalStateException("bot " + p.fileName() + ": " + why, e);
            }
        }
        return new TelegramBots(started);
    }

    public List<TelegramBot> bots() {
        return bots;
    }

    /** Stops polling and closes the webhooks (no new commands); jobs already running still deliver. */
    @Override
    public void close() {
        bots.forEach(TelegramBot::close);
    }
}
