package dev.pictor.cli;

import dev.pictor.core.text.Messages;
import dev.pictor.core.text.Msg;
import dev.pictor.core.text.Text;
import dev.pictor.core.Image;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobPost;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The command line's way of handing images to the member: files {@code <out>/<jobId>-<n>.<ext>} (n from 1), each
 * path printed on stdout as it is written; progress (a {@link LiveLine}: phase, time, provider, attempt) and refusals
 * on stderr.
 */
final class FileDelivery implements Delivery {
    private final Path outDir;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Path> written = new ArrayList<>();
    private final Function<String, String> keyVariable;
    private final LiveLine live;
    private final Map<String, ProviderException> failures = new LinkedHashMap<>();
    private Generated generated;

    /** {@code keyVariable}: where a provider's api-key comes from, as an operator should check it (e.g. AIMLAPI_KEY). */
    FileDelivery(Path outDir, PrintWriter out, PrintWriter err, Function<String, String> keyVariable, LiveLine live) {
        this.keyVariable = keyVariable;
        this.live = live;
        this.outDir = outDir;
        this.out = out;
        this.err = err;
    }

    @Override
    public void progress(Progress progress) {
        live.phase(Messages.render(live.locale(), switch (progress) {
            case QUEUED -> Msg.CLI_QUEUED;
            case GENERATING -> Msg.CLI_GENERATING;
        }));
    }

    @Override
    public void calling(String provider, int attempt) {
        live.calling(provider, attempt);
    }

    /** Writes the images; a file that cannot be written ends the delivery (the rest are refunded). */
    @Override
    public int deliver(Generated generated) throws IOException {
        this.generated = generated;
        live.close();
        Files.createDirectories(outDir);
        for (int i = 0; i < generated.images().size(); i++) {
            Image image = generated.images().get(i);
            Path file = outDir.resolve(generated.jobId() + "-" + (i + 1) + "." + image.format().extension());
            try {
                Files.write(file, image.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                if (written.isEmpty()) throw e;
                err.println(Messages.render(live.locale(), Msg.CLI_WRITE_FAILED, "file", file.toString(), "error", String.valueOf(e.getMessage())));
                break;
            }
            written.add(file);
            // recorded as it is written: a crash after this counts the file as delivered, not refunded
            generated.receipts().confirmed(new JobPost(outDir.toString(), file.getFileName().toString(), 1));
            out.println(file);
            out.flush();
        }
        return written.size();
    }

    @Override
    public void callFailed(String provider, int attempt, ProviderException failure) {
        failures.put(provider, failure); // the last failure of each provider is the one that counted
        live.note(Messages.render(live.locale(), Msg.CLI_ATTEMPT_FAILED, "provider", provider, "attempt", attempt,
                "error", failure.errorClass()));
    }

    /**
     * The refusal, for the operator at the terminal: when a provider refused the key or the account (401, 402, 403),
     * the precise sentence naming the variable to check replaces the member's "not answering, try again later",
     * which would be wrong advice; other failures keep the member's sentence after a line per provider.
     */
    @Override
    public void refused(Refusal refusal) {
        live.close();
        boolean allAccount = !failures.isEmpty();
        for (var f : failures.entrySet()) {
            String precise = accountProblem(f.getKey(), f.getValue());
            allAccount &= precise != null;
            err.println("imagine: " + (precise != null ? precise : f.getValue().getMessage()));
        }
        err.println(refusal.reason() == Refusal.Reason.PROVIDER_DOWN && allAccount ? Messages.render(live.locale(), Msg.CLI_NOTHING_CHARGED, "charge", Text.of(Msg.CHARGE_NONE))
                : refusal.message(live.locale()));
        err.flush();
    }

    /** The operator's sentence for a provider that refused the key or the account, or null for any other failure. */
    private String accountProblem(String provider, ProviderException e) {
        String key = keyVariable.apply(provider);
        return switch (e.status()) {
            case 401 -> Messages.render(live.locale(), Msg.CLI_KEY_401, "provider", provider, "key", key);
            case 402 -> Messages.render(live.locale(), Msg.CLI_KEY_402, "provider", provider);
            case 403 -> Messages.render(live.locale(), Msg.CLI_KEY_403, "provider", provider, "key", key);
            default -> null;
        };
    }

    /** What the provider produced, or null if nothing reached {@link #deliver}. */
    Generated generated() {
        return generated;
    }
}
