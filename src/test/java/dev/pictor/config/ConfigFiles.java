package dev.pictor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration files into a test's temporary directory. */
final class ConfigFiles {
    /** A small valid pictor.yaml that each test changes in one place. */
    static final String VALID = """
            providers:
              aimlapi: {dialect: aimlapi, base-url: "https://api.aimlapi.com", api-key: "${AIMLAPI_KEY}"}
              theturbo: {dialect: openai, base-url: "https://gateway.theturbo.ai", api-key: "${THETURBO_API_KEY}"}
              lumenfall: {dialect: openai, base-url: "https://api.lumenfall.ai/openai", api-key: "${LUMENFALL_API_KEY}"}
            models:
              imagen-4:
                aspect-ratios: ["1:1", "16:9"]
                max-images: 4
                routes:
                  - {provider: aimlapi, model: google/imagen-4.0-generate-001}
                  - {provider: lumenfall, model: imagen-4.0-generate-001}
            default-model: imagen-4
            quota:
              plans:
                free: ["3/1m", "25/1d"]
              default-plan: free
            """;

    private final Path dir;

    ConfigFiles(Path dir) {
        this.dir = dir;
    }

    Path config(String yaml) {
        return write("pictor.yaml", yaml);
    }

    Path bots() {
        return dir.resolve("bots");
    }

    Path bot(String name, String yaml) {
        return write("bots/" + name + ".yaml", yaml);
    }

    Path write(String relative, String text) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
