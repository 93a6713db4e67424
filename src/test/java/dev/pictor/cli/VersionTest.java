package dev.pictor.cli;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator asks which build runs: {@code pictor --version} names the pom's version and the git commit. */
class VersionTest {
    @Test
    void versionPrintsThePomsVersionAndTheCommitTheBuildWasMadeFrom() throws Exception {
        String pomVersion = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement().getElementsByTagName("version").item(0).getTextContent().strip();

        var run = CliRun.of(Map.of(), "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).matches("pictor " + java.util.regex.Pattern.quote(pomVersion) + " \\(commit [0-9a-f]{12}\\)");
        // and the commit is this clone's HEAD (when git is there to ask, and this is a clone, as CI has: in a linked
        // worktree, whose .git is a file, git-commit-id-maven-plugin reads the main working tree's HEAD instead)
        String head = java.nio.file.Files.isDirectory(Path.of(".git")) ? gitHead() : null;
        if (head != null) assertThat(run.out()).contains("(commit " + head + ")");
    }

    private static String gitHead() {
        try {
            var git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
