package dev.pictor.discord;

import dev.pictor.core.ModelCatalog;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /help}: how to use pictor and which models there are; answered at once, only to the member. */
final class HelpCommand implements SlashCommand {
    private static final Logger log = LoggerFactory.getLogger(HelpCommand.class);

    private final String text;

    HelpCommand(ModelCatalog catalog) {
        this.text = DiscordText.help(catalog);
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public SlashCommandData data(DiscordBotSettings.CommandScope scope) {
        return CommandRegistrar.everywhere(Commands.slash(name(), "How to use pictor"), scope);
    }

    @Override
    public void handle(SlashCommandInteractionEvent event) {
        event.reply(text).setEphemeral(true).setAllowedMentions(Reply.NO_PINGS)
                .queue(null, e -> log.warn("could not answer /help: {}", e.toString()));
    }
}
