package dev.pictor.cli;

import dev.pictor.core.Platform;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;

import dev.pictor.app.Services;
import dev.pictor.config.ConfigException;
import dev.pictor.config.ConfigLoader;
import dev.pictor.core.Checked;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobOutcome;
import dev.pictor.core.JobStatus;
import dev.pictor.core.PromptCommand;
import dev.pictor.core.Requester;
import dev.pictor.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pictor imagine "<prompt>" [--ar W:H] [--n N] [--seed N] [--model ID] [--no-enhance] [--out DIR] [--user NAME]}:
 * the command-line adapter. Everything that is not one of this command's own options (the prompt's words and the
 * {@code --ar}-style flags, inside the quotes or not) is joined and read by the core's option parser, exactly as a
 * Discord or Telegram prompt would be; then the same validator, quota and pipeline run.
 */
// the description's line about the prompt's flags is added by Cli from the parser's own list
@Command(name = "imagine", mixinStandardHelpOptions = true, description = "Generate images from the terminal through the same core and quotas.",
        footer = {"", "Examples:", "  pictor imagine \"a red fox in fresh snow --ar 16:9 --n 2\"",
                "  pictor imagine \"a lighthouse\" --model imagen-3 --seed 42 --out pics"})
final class ImagineCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "PROMPT", arity = "0..*", description = "The prompt, with any of the flags above.")
    List<String> words = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Where to write the images (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--user", paramLabel = "NAME", description = "Whose quota to charge (default: the system user).")
    String user;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/pictor.yaml",
            description = "The configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "Show pictor's log lines too.")
    boolean verbose;

    ImagineCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var err = ctx.err();
        var loaded = loadConfig();
        if (loaded == null) return ExitCodes.BAD_CONFIG;
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        String unwritable = unwritable(out);
        if (unwritable != null) {
            // checked before anything is asked of a provider: a run that cannot keep its images must not pay for them
            err.println("imagine: " + words(Msg.CLI_UNWRITABLE, "dir", out.toString(), "why", unwritable));
            err.flush();
            return ExitCodes.USAGE;
        }
        try (var quiet = QuietLogs.unless(verbose || ctx.env().apply("PICTOR_LOG_LEVEL") != null)) {
            Services services;
            try {
                services = Services.forTerminal(loaded);
            } catch (StoreException e) {
                err.println("imagine: " + words(Msg.CLI_STORAGE, "url", loaded.config().storage().shownUrl(),
                        "error", String.valueOf(e.getMessage())));
                err.flush();
                return ExitCodes.STORAGE;
            }
            try (services) {
                return generate(services, loaded);
            }
        }
    }

    private int generate(Services services, dev.pictor.config.LoadedConfig loaded) {
        var err = ctx.err();
        Checked<ImagineRequest> request = services.parser().parse(String.join(" ", words))
                .then((PromptCommand command) -> services.validator().validate(requester(), command));
        if (request instanceof Checked.Refused<ImagineRequest> refused) {
            // the parser's and the validator's refusals are about what was typed: a command-line mistake
            err.println(refused.refusal().message(ctx.locale()));
            err.flush();
            return ExitCodes.USAGE;
        }
        ImagineRequest r = ((Checked.Ok<ImagineRequest>) request).value();
        err.println("imagine: " + words(Msg.CLI_REQUEST, "count", r.count(), "model", r.model().id(), "aspect", r.aspect(),
                "seeded", r.seed() != null, "seed", String.valueOf(r.seed()), "enhanced", r.enhance()));
        String unservable = new CheckReport(loaded).unservable(r.model().id());
        if (unservable != null) {
            // refused before a job is opened: the operator reads what to set or which model to name instead
            err.println("imagine: " + unservable);
            err.flush();
            return ExitCodes.REFUSED;
        }
        String file = loaded.configFile().toString();
        try (var live = new LiveLine(err, ctx.terminal(), java.time.Clock.systemUTC(),
                ctx.terminal() ? java.time.Duration.ofSeconds(1) : null, ctx.locale())) {
            var delivery = new FileDelivery(out, ctx.out(), err, provider -> {
                var vars = loaded.variablesAt(file, "providers." + provider + ".api-key");
                return vars.isEmpty() ? "providers." + provider + ".api-key in " + file : String.join(", ", vars);
            }, live);
            JobOutcome outcome = services.generation().run(r, delivery);
            live.close();
            return report(outcome, delivery);
        }
    }

    /** The terminal's words, in the operator's language ({@link CliContext#locale()}). */
    private String words(Msg msg, Object... namesAndValues) {
        return Messages.render(ctx.locale(), msg, namesAndValues);
    }

    /** Why no file can be created in {@code dir} (made if missing), or null when one can. */
    String unwritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".pictor-write-test", ".tmp");
            Files.delete(probe);
            return null;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return words(Msg.CLI_UNWRITABLE_FILE);
        } catch (java.nio.file.AccessDeniedException e) {
            return words(Msg.CLI_UNWRITABLE_DENIED);
        } catch (IOException | SecurityException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
    }

    private dev.pictor.config.LoadedConfig loadConfig() {
        try {
            return new ConfigLoader(ctx.env()).load(config);
        } catch (ConfigException e) {
            ConfigOptions.printErrors(ctx.err(), e);
            return null;
        }
    }

    private Requester requester() {
        String name = user != null && !user.isBlank() ? user.strip() : System.getProperty("user.name", "local");
        return new Requester(Platform.CLI, name, name, null, null, null);
    }

    private int report(JobOutcome outcome, FileDelivery delivery) {
        var out = ctx.out();
        var err = ctx.err();
        Text status = Text.of(Msg.CLI_STATUS, "status", outcome.status());
        if (outcome.status() == JobStatus.SUCCEEDED || outcome.status() == JobStatus.PARTIAL) {
            var g = delivery.generated();
            err.println(words(Msg.CLI_JOB, "job", outcome.jobId(), "status", status, "delivered", outcome.delivered(),
                    "asked", g.request().count(), "provider", g.provider(), "ms", String.valueOf(g.took().toMillis()),
                    "seeded", g.seed() != null, "seed", String.valueOf(g.seed()))
                    + (g.revisedPrompt() == null ? "" : "\n  " + words(Msg.CLI_REVISED, "prompt", g.revisedPrompt())));
            if (outcome.status() == JobStatus.PARTIAL) {
                err.println("  " + words(Msg.CLI_PARTIAL, "missing", g.request().count() - outcome.delivered()));
            }
            out.println("job " + outcome.jobId());
            out.flush();
            err.flush();
            return ExitCodes.OK;
        }
        // The refusal's sentence is already on stderr (FileDelivery.refused).
        if (outcome.jobId() != null) err.println(words(Msg.CLI_JOB_ENDED, "job", outcome.jobId(), "status", status));
        err.flush();
        return ExitCodes.REFUSED;
    }
}
