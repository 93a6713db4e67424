package dev.pictor.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A configuration that passed every check: {@code pictor.yaml} and the bot profiles (empty when no bots directory
 * was read), and which environment variables each value came from ({@code file → key path → names}), so that
 * {@code check} can say "not set (AIMLAPI_KEY)" without ever printing a value; and what was kept but looks wrong
 * ({@code warnings}: a bare {@code $VAR}, a profile whose file name and platform disagree, a malformed token).
 */
public record LoadedConfig(Path configFile, PictorConfig config, Path botsDir, List<BotProfile> bots,
                           Map<String, Map<String, List<String>>> variables, List<ConfigError> warnings) {
    public LoadedConfig {
        bots = List.copyOf(bots);
        variables = Map.copyOf(variables);
        warnings = List.copyOf(warnings);
    }

    public LoadedConfig(Path configFile, PictorConfig config, Path botsDir, List<BotProfile> bots,
                        Map<String, Map<String, List<String>>> variables) {
        this(configFile, config, botsDir, bots, variables, List.of());
    }

    /** The file a bot profile was read from, as printed in messages (e.g. {@code bots/discord.yaml}). */
    public String fileOf(BotProfile bot) {
        return botsDir.resolve(bot.fileName()).toString();
    }

    /** The variables the value at {@code path} of {@code file} (as printed) was made from; empty if none. */
    public List<String> variablesAt(String file, String path) {
        return variables.getOrDefault(file, Map.of()).getOrDefault(path, List.of());
    }
}
