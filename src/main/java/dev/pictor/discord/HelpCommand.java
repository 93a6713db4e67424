package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import dev.pictor.core.text.Msg;
import dev.pictor.core.ModelCatalog;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /help}: how to use pictor and which models there are, only to the member: acknowledged at once (privately),
 * then written on a worker in the member's language, whose read may reach the storage.
 */
final class HelpCommand implements DiscordCommand {
    private static final Logger log = LoggerFactory.getLogger(HelpCommand.class);

    private final ModelCatalog catalog;
    private final Members members;
    private final Workers workers;

    HelpCommand(ModelCatalog catalog, Members members, Workers workers) {
        this.catalog = catalog;
        this.members = members;
        this.workers = workers;
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
        event.deferReply(true).queue(null, e -> log.warn("could not acknowledge /help: {}", e.toString()));
        Reply reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL, () -> members.locale(event));
        workers.offer(() -> reply.show(DiscordText.help(reply.locale(), catalog)), reply);
    }
}
