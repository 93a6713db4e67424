package dev.pictor.discord;

import dev.pictor.core.text.Text;
import net.dv8tion.jda.api.events.guild.GuildReadyEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Routes JDA's events to the commands and buttons; whatever happens, the member gets an answer. */
final class DiscordListener extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DiscordListener.class);

    private final Map<String, DiscordCommand> commands = new LinkedHashMap<>();
    private final JobButtons buttons;
    private final CommandRegistrar registrar;
    private final Members members;
    private final Workers workers;

    DiscordListener(List<DiscordCommand> commands, JobButtons buttons, CommandRegistrar registrar, Members members,
                    Workers workers) {
        commands.forEach(c -> this.commands.put(c.name(), c));
        this.buttons = buttons;
        this.registrar = registrar;
        this.members = members;
        this.workers = workers;
    }

    @Override
    public void onReady(ReadyEvent event) {
        registrar.onReady(event.getJDA()); // unless registered already at start (registerCommands)
    }

    /** Registers the global commands now (once per process; later READY events find them done). */
    void registerCommands(net.dv8tion.jda.api.JDA jda) {
        registrar.onReady(jda);
    }

    @Override
    public void onGuildReady(GuildReadyEvent event) {
        registrar.onGuildReady(event.getGuild());
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        DiscordCommand command = commands.get(event.getName());
        if (command == null) {
            answer(event, DiscordText.unknownCommand());
            return;
        }
        try {
            command.handle(event);
        } catch (RuntimeException e) {
            log.error("/{} failed", event.getName(), e);
            answer(event, DiscordText.internalError());
        }
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        var parsed = ButtonIds.parse(event.getComponentId());
        if (parsed.isEmpty()) {
            answer(event, DiscordText.unknownButton());
            return;
        }
        try {
            buttons.handle(event, parsed.get());
        } catch (RuntimeException e) {
            log.error("button {} failed", event.getComponentId(), e);
            answer(event, DiscordText.internalError());
        }
    }

    /**
     * An ephemeral answer: the interaction acknowledged privately at once if nothing acknowledged it yet (the answer
     * then edits that), else an ephemeral followup; written in the member's language off JDA's event thread
     * ({@link Workers#later}).
     */
    private void answer(IReplyCallback event, Text answer) {
        Reply reply;
        if (!event.isAcknowledged()) {
            event.deferReply(true).queue(null, e -> log.warn("could not acknowledge: {}", e.toString()));
            reply = new Reply(event.getHook(), Reply.Kind.EPHEMERAL, () -> members.locale(event));
        } else {
            reply = new Reply(event.getHook(), Reply.Kind.UPDATE, () -> members.locale(event));
        }
        workers.later(() -> reply.tell(answer));
    }
}
