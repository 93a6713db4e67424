package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.core.Platform;
import dev.pictor.discord.DiscordBot;
import dev.pictor.discord.IdentifyGate;
import dev.pictor.discord.DiscordBotSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The Discord bots of the enabled {@code platform: discord} profiles, started on the shared services. */
public final class DiscordBots implements AutoCloseable {
    private final List<DiscordBot> bots;

    private DiscordBots(List<DiscordBot> bots) {
        this.bots = List.copyOf(bots);
    }

    /**
     * Logs every enabled Discord profile in, and tells the members of jobs a stopped process left unfinished (repaired
     * at this start) by direct message. If one fails (e.g. Discord refuses its token), those already started
     * are stopped and the exception names the profile.
     */
    public static DiscordBots start(List<BotProfile> profiles, Services services) {
        var started = new ArrayList<DiscordBot>();
        for (BotProfile p : profiles) {
            if (p.platform() != Platform.DISCORD || !p.enabled()) continue;
            // the bot's IDENTIFY slots are shared with every other process on the database running its shards
            var slots = services.identifySlots();
            String name = p.name();
            var bot = new DiscordBot(DiscordBotSettings.of(p), services.chatServices(), new IdentifyGate() {
                @Override
                public Duration take(int bucket) {
                    return slots.take(name, bucket);
                }

                @Override
                public void identified(int bucket) {
                    slots.identified(name, bucket);
                }
            });
            try {
                started.add(bot.start());
                services.notices().poster(Platform.DISCORD, name, bot::post); // the admins' spend warnings
                bot.tellInterrupted(services.interrupted());
                services.onRepaired(bot::tellInterrupted);
            } catch (RuntimeException e) {
                started.forEach(DiscordBot::close);
                bot.close();
                throw new IllegalStateException("bot " + p.fileName() + ": could not log in to Discord ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        return new DiscordBots(started);
    }

    public List<DiscordBot> bots() {
        return bots;
    }

    public boolean isEmpty() {
        return bots.isEmpty();
    }

    @Override
    public void close() {
        bots.forEach(DiscordBot::close);
    }
}
