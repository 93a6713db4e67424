package dev.pictor.app;

import dev.pictor.config.BotProfile;
import dev.pictor.core.Platform;
import dev.pictor.discord.DiscordBot;
import dev.pictor.discord.DiscordBotSettings;
import dev.pictor.discord.DiscordConnection;
import dev.pictor.discord.IdentifyGate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
        return connect(profiles, CompletableFuture.completedFuture(services)).start(services);
    }

    /**
     * Logs every enabled Discord profile in while {@code services} are still being built (issue #15: the REST login
     * and JDA's set-up run beside the store's opening): each shard's IDENTIFY waits for the services (its slot is in
     * the store) and for its bot to serve ({@link Connecting#start}), so that no interaction comes before there is a
     * bot to answer it; JDA's own events before then are kept and handed over in order. If a login fails, the
     * connections already open are closed and the exception names the profile.
     */
    public static Connecting connect(List<BotProfile> profiles, CompletableFuture<Services> services) {
        var open = new ArrayList<Connected>();
        for (BotProfile p : profiles) {
            if (p.platform() != Platform.DISCORD || !p.enabled()) continue;
            var settings = DiscordBotSettings.of(p);
            // the bot's IDENTIFY slots are shared with every other process on the database running its shards
            String name = p.name();
            // and no session begins before its bot serves (#15 review): a session identified earlier would receive
            // interactions that wait for the other profiles' logins, past Discord's 3 s
            var served = new CompletableFuture<Void>();
            Supplier<dev.pictor.store.IdentifySlots> slots = () -> {
                try {
                    var s = services.join().identifySlots();
                    served.join();
                    return s;
                } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                    throw new IdentifyGate.Abandoned(e); // the store did not open or the bot will not serve: pictor stops
                }
            };
            var gate = new IdentifyGate() {
                @Override
                public Duration take(int bucket) {
                    return slots.get().take(name, bucket);
                }

                @Override
                public void identified(int bucket) {
                    slots.get().identified(name, bucket);
                }
            };
            try {
                open.add(new Connected(p, settings, gate, DiscordConnection.open(settings, gate), served));
            } catch (RuntimeException e) {
                open.forEach(Connected::close);
                throw new IllegalStateException("bot " + p.fileName() + ": could not log in to Discord ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        return new Connecting(open);
    }

    private record Connected(BotProfile profile, DiscordBotSettings settings, IdentifyGate gate, DiscordConnection connection,
                             CompletableFuture<Void> served) {
        void close() {
            served.cancel(false); // a shard still waiting to identify gives up
            connection.close();
        }
    }

    /** The profiles' connections, logged in, their bots not serving yet. */
    public static final class Connecting implements AutoCloseable {
        private final List<Connected> open;

        private Connecting(List<Connected> open) {
            this.open = open;
        }

        /** Whether there is any Discord bot to start. */
        public boolean isEmpty() {
            return open.isEmpty();
        }

        /** Each bot serves on its connection, on {@code services}. */
        public DiscordBots start(Services services) {
            var started = new ArrayList<DiscordBot>();
            for (int i = 0; i < open.size(); i++) {
                Connected c = open.get(i);
                var bot = new DiscordBot(c.settings(), services.chatServices(), c.gate());
                try {
                    started.add(bot.start(c.connection()));
                    c.served().complete(null); // its sessions may identify now
                    String name = c.profile().name();
                    services.notices().poster(Platform.DISCORD, name, bot::post); // the admins' spend warnings
                    bot.tellInterrupted(services.interrupted());
                    services.onRepaired(bot::tellInterrupted);
                } catch (RuntimeException e) {
                    started.forEach(DiscordBot::close);
                    bot.close();
                    for (Connected rest : open.subList(i, open.size())) rest.close();
                    throw new IllegalStateException("bot " + c.profile().fileName() + ": could not start ("
                            + e.getClass().getSimpleName() + ")", e);
                }
            }
            return new DiscordBots(started);
        }

        /** Closes the connections (when pictor cannot start after all). */
        @Override
        public void close() {
            open.forEach(Connected::close);
        }
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
