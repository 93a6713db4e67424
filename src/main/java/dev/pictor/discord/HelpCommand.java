package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import dev.pictor.core.text.Msg;
import dev.pictor.core.ModelCatalog;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /help}: how to use pictor and which models there are; answered at once, only to the member. */
final class HelpCommand implements DiscordCommand {
    private static final Logger log = LoggerFactory.getLogger(HelpCommand.class);

    private final ModelCatalog catalog;
    private final Members members;

    HelpCommand(ModelCatalog catalog, Members members) {
        this.catalog = catalog;
        this.members = members;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public SlashCommandData data(CommandScope scope) {
        return CommandRegistrar.everywhere(QuotaCommand.localized(name(), Msg.DISCORD_COMMAND_HELP), scope);
    }

    @Override
    public void handle(SlashCommandInteractionEvent event) {
        event.reply(DiscordText.help(members.locale(event), catalog)).setEphemeral(true).setAllowedMentions(Reply.NO_PINGS)
                .queue(null, e -> log.warn("could not answer /help: {}", e.toString()));
    }
}
