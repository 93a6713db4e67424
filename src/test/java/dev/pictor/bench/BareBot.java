package dev.pictor.bench;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;

import java.util.List;

/**
 * The yardstick of {@link StartupBench}, as a process of its own: a bare JDA bot that registers {@code /imagine},
 * defers each interaction and sends one followup, nothing else. Token and URLs from the environment
 * ({@code DISCORD_TOKEN}, {@code DISCORD_API_URL}, {@code DISCORD_GATEWAY_URL}); runs until killed.
 */
public final class BareBot {
    public static void main(String[] args) throws Exception {
        String gateway = System.getenv("DISCORD_GATEWAY_URL");
        JDA jda = JDABuilder.createLight(System.getenv("DISCORD_TOKEN"), List.of())
                .setRestConfig(new RestConfig().setBaseUrl(System.getenv("DISCORD_API_URL")))
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setCompression(Compression.NONE)
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
                        event.deferReply().queue();
                        event.getHook().sendMessage("done").queue();
                    }
                })
                .build();
        jda.awaitReady();
        jda.updateCommands().addCommands(Commands.slash("imagine", "bare").addOption(OptionType.STRING, "prompt", "p", true))
                .complete();
    }
}
