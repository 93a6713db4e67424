package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * One slash command: how it is declared to Discord and how it answers. {@link #handle} runs on JDA's event thread:
 * it must acknowledge the interaction first and leave any slow work to the workers.
 */
interface DiscordCommand {
    String name();

    SlashCommandData data(CommandScope scope);

    void handle(SlashCommandInteractionEvent event);
}
