package dev.pictor.discord;

import dev.pictor.config.CommandScope;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.Checked;
import dev.pictor.core.ImagineOptions;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.Requester;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code /imagine prompt:<text> [model] [aspect] [count] [seed] [enhance]}. The {@code --flags} of the other
 * platforms work inside the prompt too; when a flag and a slash option say different things, <b>the slash option
 * wins</b>: it was picked from Discord's own menu, while flags are often pasted along with a prompt.
 */
final class ImagineCommand implements DiscordCommand {
    static final String NAME = "imagine";
    /** Room for {@code --flags} on top of the longest prompt a model takes. */
    private static final int FLAG_ROOM = 100;

    private final ModelCatalog catalog;
    private final OptionParser parser;
    private final Members members;
    private final Workers workers;
    private final JobStarter jobs;

    ImagineCommand(ModelCatalog catalog, OptionParser parser, Members members, Workers workers, JobStarter jobs) {
        this.catalog = catalog;
        this.parser = parser;
        this.members = members;
        this.workers = workers;
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SlashCommandData data(CommandScope scope) {
        List<ModelSpec> models = catalog.all();
        int longestPrompt = models.stream().mapToInt(m -> m.capabilities().maxPromptChars()).max().orElse(1000);
        int maxCount = Math.min(UploadFitter.MAX_FILES,
                models.stream().mapToInt(m -> m.capabilities().maxImages()).max().orElse(1));
        var texts = new CommandTexts();
        var prompt = new OptionData(OptionType.STRING, "prompt",
                texts.describe(NAME + ".options.prompt", Msg.DISCORD_OPTION_PROMPT, "flags", OptionParser.usages()), true)
                .setMaxLength(Math.min(OptionData.MAX_STRING_OPTION_LENGTH, longestPrompt + FLAG_ROOM));
        var model = new OptionData(OptionType.STRING, "model",
                texts.describe(NAME + ".options.model", Msg.DISCORD_OPTION_MODEL, "model", catalog.defaultModel().id()));
        if (models.size() <= OptionData.MAX_CHOICES) {
            for (ModelSpec m : models) {
                String label = m.label().equals(m.id()) ? m.id() : m.label() + " (" + m.id() + ")";
                model.addChoice(cut(label, OptionData.MAX_CHOICE_NAME_LENGTH), m.id());
            }
        }
        var aspect = new OptionData(OptionType.STRING, "aspect", texts.describe(NAME + ".options.aspect", Msg.DISCORD_OPTION_ASPECT));
        var ratios = new LinkedHashSet<String>();
        models.forEach(m -> ratios.addAll(m.capabilities().aspectRatios()));
        if (ratios.size() <= OptionData.MAX_CHOICES) ratios.forEach(r -> aspect.addChoice(r, r));
        var count = new OptionData(OptionType.INTEGER, "count", texts.describe(NAME + ".options.count", Msg.DISCORD_OPTION_COUNT))
                .setRequiredRange(1, maxCount);
        var seed = new OptionData(OptionType.INTEGER, "seed", texts.describe(NAME + ".options.seed", Msg.DISCORD_OPTION_SEED))
                .setRequiredRange(0, OptionParser.MAX_SEED);
        var enhance = new OptionData(OptionType.BOOLEAN, "enhance", texts.describe(NAME + ".options.enhance", Msg.DISCORD_OPTION_ENHANCE));
        SlashCommandData data = Commands.slash(NAME, texts.describe(NAME, Msg.DISCORD_COMMAND_IMAGINE))
                .addOptions(prompt, model, aspect, count, seed, enhance)
                .setLocalizationFunction(texts);
        return CommandRegistrar.everywhere(data, scope);
    }

    @Override
    public void handle(SlashCommandInteractionEvent event) {
        Reply reply = jobs.deferPublic(event, () -> members.locale(event));
        Requester who = members.requester(event);
        long fileLimit = Members.attachmentLimit(event);
        String text = event.getOption("prompt", "", OptionMapping::getAsString);
        var slash = new ImagineOptions(
                event.getOption("model", OptionMapping::getAsString),
                event.getOption("aspect", OptionMapping::getAsString),
                event.getOption("count", m -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, m.getAsLong()))),
                event.getOption("seed", OptionMapping::getAsLong),
                event.getOption("enhance", OptionMapping::getAsBoolean));
        workers.offer(() -> run(who, text, slash, reply, fileLimit), reply);
    }

    private void run(Requester who, String text, ImagineOptions slash, Reply reply, long fileLimit) {
        switch (parser.parse(text)) {
            case Checked.Refused<PromptCommand> r -> reply.tell(r.refusal());
            case Checked.Ok<PromptCommand> ok -> jobs.start(who,
                    new PromptCommand(ok.value().prompt(), ok.value().options().overlay(slash)), reply, fileLimit);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
