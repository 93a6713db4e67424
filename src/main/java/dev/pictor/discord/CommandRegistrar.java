package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Declares the slash commands to Discord: once per process for the whole application (global scope), or in each
 * configured server as its shard becomes ready (guild scope). Each is a bulk overwrite, so commands pictor no longer
 * has disappear.
 */
final class CommandRegistrar {
    private static final Logger log = LoggerFactory.getLogger(CommandRegistrar.class);

    private final DiscordBotSettings settings;
    private final List<CommandData> commands;
    private final AtomicBoolean globalDone = new AtomicBoolean();

    CommandRegistrar(DiscordBotSettings settings, List<CommandData> commands) {
        this.settings = settings;
        this.commands = List.copyOf(commands);
    }

    /** Global commands may be used in servers, in DMs with the bot, and (user-installed) in any DM or server. */
    static SlashCommandData everywhere(SlashCommandData data, CommandScope scope) {
        if (scope == CommandScope.GLOBAL) {
            data.setIntegrationTypes(IntegrationType.GUILD_INSTALL, IntegrationType.USER_INSTALL)
                    .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM,
                            InteractionContextType.PRIVATE_CHANNEL);
        }
        return data;
    }

    /**
     * Global scope: registers the commands for the whole application. Guild scope: clears the global ones (left from
     * an earlier global run, they would show twice in the listed servers).
     */
    void onReady(JDA jda) {
        if (!globalDone.compareAndSet(false, true)) return;
        boolean global = settings.commandScope() == CommandScope.GLOBAL;
        jda.updateCommands().addCommands(global ? commands : List.of()).queue(
                done -> log.info("bot {}: {} global commands registered", settings.name(), done.size()),
                e -> {
                    globalDone.set(false);
                    log.error("bot {}: registering the slash commands failed: {}", settings.name(), e.toString());
                });
    }

    void onGuildReady(Guild guild) {
        if (settings.commandScope() != CommandScope.GUILD
                || !settings.guildIds().contains(guild.getId())) {
            return;
        }
        guild.updateCommands().addCommands(commands).queue(
                done -> log.info("bot {}: {} commands registered in server {}", settings.name(), done.size(), guild.getId()),
                e -> log.error("bot {}: registering the slash commands in server {} failed: {}", settings.name(),
                        guild.getId(), e.toString()));
    }
}
