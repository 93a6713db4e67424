package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.core.Platform;
import dev.pictor.telegram.TelegramBot;
import dev.pictor.telegram.TelegramBotSettings;

import java.util.ArrayList;
import java.util.List;

/** The Telegram bots of the enabled {@code platform: telegram} profiles, started on the shared services. */
public final class TelegramBots implements AutoCloseable {
    private final List<TelegramBot> bots;

    private TelegramBots(List<TelegramBot> bots) {
        this.bots = List.copyOf(bots);
    }

    /**
     * Starts every enabled Telegram profile (token checked, commands registered, the updates a stopped process had
     * recorded but not handled run again, polling) and tells the members of jobs a stopped process left unfinished. If one fails (Telegram refuses its token, the Bot API is unreachable),
     * those already started are stopped and the exception names the profile, never the token.
     */
    public static TelegramBots start(List<BotProfile> profiles, Services services) {
        var core = services.chatServices();
        var started = new ArrayList<TelegramBot>();
        for (BotProfile p : profiles) {
            if (p.platform() != Platform.TELEGRAM || !p.enabled()) continue;
            var bot = new TelegramBot(TelegramBotSettings.of(p.name(), p.token(), p.apiUrl(), p.admins()), core, services.http());
            try {
                bot.start();
                started.add(bot);
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

    /** Stops polling (no new commands); jobs already running still deliver. */
    @Override
    public void close() {
        bots.forEach(TelegramBot::close);
    }
}
