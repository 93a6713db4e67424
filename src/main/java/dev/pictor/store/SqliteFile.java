package dev.pictor.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The SQLite file a database opened, and its identity ({@link BasicFileAttributes#fileKey()}) at that moment: if the
 * file at the configured path is deleted or replaced while pictor runs, the open connection would go on writing to a
 * file nobody will ever read again; {@link #problem()} notices it.
 *
 * @param path the file, absolute
 * @param key  its identity when opened, or null when the file system gives none (then only its absence is seen)
 */
record SqliteFile(Path path, Object key) {
    /** The watched file a {@code jdbc:sqlite:} URL names, or null for an in-memory database or a {@code file:} URI. */
    static SqliteFile of(String url) {
        Path path = pathOf(url);
        return path == null ? null : new SqliteFile(path, keyOf(path));
    }

    /** The file a {@code jdbc:sqlite:} URL names, absolute; null for an in-memory database or a {@code file:} URI. */
    static Path pathOf(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.isEmpty() || rest.startsWith(":") || rest.startsWith("file:")) return null;
        return Path.of(rest).toAbsolutePath();
    }

    /** Creates the folder the file of {@code url} goes in, when it does not exist yet. */
    static void createParentDirectory(String url) {
        Path db = pathOf(url);
        if (db == null) return;
        Path parent = db.getParent();
        if (parent == null || Files.isDirectory(parent)) return;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the directory " + parent + " for the database: " + e.getMessage(), e);
        }
    }

    /** Null while the file at the path is the one opened; otherwise why not (deleted, its folder deleted, replaced). */
    String problem() {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "the database file " + path + " is gone (it or its folder was deleted or moved while pictor ran)";
        } catch (IOException e) {
            return null; // cannot tell (e.g. no permission to look); the write probe says whether it still works
        }
        if (key != null && !key.equals(now.fileKey())) {
            return "the database file " + path + " was replaced by another file while pictor ran";
        }
        return null;
    }

    private static Object keyOf(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
