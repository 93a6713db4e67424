package dev.pictor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pictor init [DIR]}: writes the commented reference configuration that ships inside the jar
 * ({@code config/pictor.yaml}, {@code bots/*.yaml}, {@code .env.example}) into DIR, so that the jar alone in an empty
 * folder becomes a deployment that passes {@code check}. It never overwrites: if any of those files is already there
 * it writes nothing and exits {@link ExitCodes#CANNOT_START}.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write the commented reference config/pictor.yaml, bots/*.yaml and .env.example into DIR (never overwrites).")
final class InitCommand implements Callable<Integer> {
    /** A file written: its path in DIR and its resource in the jar (built from the repository's config/ and bots/). */
    record File(String path, String resource) {
    }

    static final List<File> FILES = List.of(
            new File("config/pictor.yaml", "/init/config/pictor.yaml"),
            new File("bots/discord.yaml", "/init/bots/discord.yaml"),
            new File("bots/telegram.yaml", "/init/bots/telegram.yaml"),
            new File(".env.example", "/init/.env.example"));

    private final CliContext ctx;

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "Where to write (default: the current folder).")
    Path dir;

    InitCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var err = ctx.err();
        List<String> there = FILES.stream().map(File::path).filter(f -> Files.exists(dir.resolve(f))).toList();
        if (!there.isEmpty()) {
            err.println("pictor init: " + String.join(", ", there.stream().map(f -> dir.resolve(f).normalize().toString()).toList())
                    + (there.size() == 1 ? " is" : " are") + " already there; nothing was written (move "
                    + (there.size() == 1 ? "it" : "them") + " away to start afresh).");
            err.flush();
            return ExitCodes.CANNOT_START;
        }
        var written = new ArrayList<Path>();
        try {
            for (File file : FILES) {
                Path target = dir.resolve(file.path());
                try (InputStream in = InitCommand.class.getResourceAsStream(file.resource())) {
                    if (in == null) throw new IOException("this build has no " + file.resource());
                    Files.createDirectories(target.getParent() == null ? dir : target.getParent());
                    Files.copy(in, target); // fails if it appeared meanwhile: never overwrites
                }
                written.add(target);
            }
        } catch (IOException e) {
            err.println("pictor init: cannot write into " + dir.toAbsolutePath().normalize() + ": " + e
                    + (written.isEmpty() ? "" : " (written before that: " + written + ")"));
            err.flush();
            return ExitCodes.CANNOT_START;
        }
        var out = ctx.out();
        written.forEach(out::println);
        String cd = dir.normalize().toString().isEmpty() || dir.normalize().toString().equals(".") ? "" : "cd " + dir + " && ";
        err.println("""
                pictor init: wrote the reference configuration; every key is commented with its default.
                Next:
                  1. Set at least one provider key: AIMLAPI_KEY (the default model, imagen-4, goes only through AI/ML API),
                     THETURBO_API_KEY or LUMENFALL_API_KEY (then use --model imagen-3, or set PICTOR_DEFAULT_MODEL=imagen-3).
                  2. For the bots, set TELEGRAM_TOKEN and/or DISCORD_TOKEN (.env.example lists every variable).
                  3. %spictor check    (says what is set and what run would start; secrets are never printed)
                  4. %spictor imagine "a red fox in fresh snow"   or   %spictor run""".formatted(cd, cd, cd));
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }
}
