package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import dev.pictor.core.text.Msg;
import dev.pictor.core.text.QuotaSummary;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaPort;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /quota}: the member's plan, what is left of each limit and when more comes back; only they see it. */
final class QuotaCommand implements DiscordCommand {
    private static final Logger log = LoggerFactory.getLogger(QuotaCommand.class);

    private final QuotaPort quota;
    private final Members members;
    private final Workers workers;

    QuotaCommand(QuotaPort quota, Members members, Workers workers) {
        this.quota = quota;
        this.members = members;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "quota";
    }

    @Override
    public SlashCommandData data(CommandScope scope) {
        return CommandRegistrar.everywhere(localized(name(), Msg.DISCORD_COMMAND_QUOTA), scope);
    }

    /** A command without options whose description is {@code msg}, in every shipped language. */
    static SlashCommandData localized(String name, Msg msg) {
        var texts = new CommandTexts();
        return Commands.slash(name, texts.describe(name, msg)).setLocalizationFunction(texts);
    }

    @Override
    public void handle(SlashCommandInteractionEvent event) {
        event.deferReply(true).queue(null, e -> log.warn("could not acknowledge /quota: {}", e.toString()));
        Reply reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL, () -> members.locale(event));
        Requester who = members.requester(event);
        workers.offer(() -> reply.show(QuotaSummary.render(reply.locale(), quota.view(who), Members.PLATFORM)), reply);
    }
}
