package dev.pictor.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build is: the project's version and the git commit it was built from, written into
 * {@code dev/pictor/build.properties} when Maven builds the jar (the commit by git-commit-id-maven-plugin; a build
 * outside a git clone, such as the Docker image's, has the commit it was given or {@value #UNKNOWN}).
 */
public record BuildInfo(String version, String commit) {
    public static final String UNKNOWN = "unknown";
    private static final String RESOURCE = "/dev/pictor/build.properties";

    public BuildInfo {
        version = known(version);
        commit = known(commit);
    }

    /** This jar's build. */
    public static BuildInfo current() {
        var props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(props.getProperty("version"), props.getProperty("commit"));
    }

    /** {@code pictor 0.1.0 (commit 1a2b3c4d5e6f)}. */
    public String describe() {
        return "pictor " + version + " (commit " + commit + ")";
    }

    /** A value the build did not fill in (empty, or still the {@code ${placeholder}}) is {@value #UNKNOWN}. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }
}
