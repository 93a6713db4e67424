package dev.pictor.cli;

import dev.pictor.config.ConfigException;
import dev.pictor.config.ConfigLoader;
import dev.pictor.config.LoadedConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --config} and {@code --bots}, shared by the commands that read the configuration. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/pictor.yaml",
            description = "The configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--bots", paramLabel = "DIR", defaultValue = "bots",
            description = "The directory of bot profiles, one *.yaml per bot (default: ${DEFAULT-VALUE}).")
    Path bots;

    /** Loads the configuration (with the bot profiles when {@code withBots}); null after printing the errors. */
    LoadedConfig load(CliContext ctx, boolean withBots) {
        try {
            return new ConfigLoader(ctx.env()).load(config, withBots ? bots : null);
        } catch (ConfigException e) {
            printErrors(ctx.err(), e);
            return null;
        }
    }

    static void printErrors(PrintWriter err, ConfigException e) {
        e.errors().forEach(err::println);
        int n = e.errors().size();
        err.println(n == 1 ? "1 mistake in the configuration." : n + " mistakes in the configuration.");
        err.flush();
    }
}
