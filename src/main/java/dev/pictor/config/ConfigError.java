package dev.pictor.config;

import java.util.Objects;

/**
 * One mistake in the configuration: the file, the key path inside it (e.g. {@code models.imagen-4.routes[1].provider},
 * empty for the file as a whole) and what is wrong. Never carries a secret's value.
 */
public record ConfigError(String file, String path, String message) {
    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        path = path == null ? "" : path;
    }

    @Override
    public String toString() {
        return path.isEmpty() ? file + ": " + message : file + ": " + path + ": " + message;
    }
}
