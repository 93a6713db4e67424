package dev.pictor.cli;

import dev.pictor.core.Image;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.Delivery;
import dev.pictor.core.port.Generated;
import dev.pictor.core.port.JobPost;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's way of handing images to the member: files {@code <out>/<jobId>-<n>.<ext>} (n from 1), each
 * path printed on stdout as it is written; progress and refusals on stderr.
 */
final class FileDelivery implements Delivery {
    private final Path outDir;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Path> written = new ArrayList<>();
    private Generated generated;

    FileDelivery(Path outDir, PrintWriter out, PrintWriter err) {
        this.outDir = outDir;
        this.out = out;
        this.err = err;
    }

    @Override
    public void progress(Progress progress) {
        err.println(switch (progress) {
            case QUEUED -> "waiting for a free slot at the image service…";
            case GENERATING -> "generating…";
        });
        err.flush();
    }

    /** Writes the images; a file that cannot be written ends the delivery (the rest are refunded). */
    @Override
    public int deliver(Generated generated) throws IOException {
        this.generated = generated;
        Files.createDirectories(outDir);
        for (int i = 0; i < generated.images().size(); i++) {
            Image image = generated.images().get(i);
            Path file = outDir.resolve(generated.jobId() + "-" + (i + 1) + "." + image.format().extension());
            try {
                Files.write(file, image.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                if (written.isEmpty()) throw e;
                err.println("could not write " + file + ": " + e.getMessage());
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
    public void refused(Refusal refusal) {
        err.println(refusal.message());
        err.flush();
    }

    /** What the gateway produced, or null if nothing reached {@link #deliver}. */
    Generated generated() {
        return generated;
    }
}
