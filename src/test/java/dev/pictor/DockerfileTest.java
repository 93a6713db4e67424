package dev.pictor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.config.ConfigLoader;
import dev.pictor.config.PictorConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built on these machines (no Docker engine), so what it relies on is checked here: the jar
 * it copies is the one the pom builds, the files its command names are shipped and copied, the health check probes
 * the port the shipped configuration serves, the database lands in the data volume, and the documented stop timeout
 * outlasts the shutdown grace.
 */
class DockerfileTest {
    record Instruction(String keyword, String args) {
        List<String> json() {
            try {
                return new ObjectMapper().readValue(args, new TypeReference<>() {
                });
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not in exec (JSON) form: " + args);
            }
        }
    }

    static String text;
    static List<Instruction> all;
    static PictorConfig shipped;

    @BeforeAll
    static void read() throws IOException {
        text = Files.readString(Path.of("Dockerfile"));
        all = parse(text);
        shipped = ConfigLoader.of(Map.of()).load(Path.of("config/pictor.yaml")).config();
    }

    @Test
    void theImageRunsTheJarThatPackageBuilds() throws Exception {
        // given the pom's jar name and the build stage's working directory
        String jar = "target/" + pomValue("finalName") + ".jar";
        String buildDir = after(stage("build"), "WORKDIR").getFirst().args();
        // then the runtime stage copies exactly that jar, and its entry point runs the copy
        var copy = after(runtime(), "COPY").stream().filter(c -> c.args().startsWith("--from=build")).toList();
        assertThat(copy).singleElement().extracting(Instruction::args)
                .isEqualTo("--from=build " + buildDir + "/" + jar + " /app/pictor.jar");
        assertThat(only("ENTRYPOINT").json()).containsExactly("java", "-jar", "/app/pictor.jar");
        // and the build stage makes it with Maven's package phase
        assertThat(after(stage("build"), "RUN")).extracting(Instruction::args).anyMatch(r -> r.matches("mvn .*\\bpackage\\b.*"));
    }

    @Test
    void theRuntimeJavaIsTheOneThePomCompilesFor() throws Exception {
        int release = Integer.parseInt(pomValue("maven.compiler.release"));
        Matcher jre = Pattern.compile("eclipse-temurin:(\\d+)-jre").matcher(runtime().getFirst().args());
        assertThat(jre.find()).as("runtime stage FROM " + runtime().getFirst().args()).isTrue();
        assertThat(Integer.parseInt(jre.group(1))).isGreaterThanOrEqualTo(release);
    }

    @Test
    void theDefaultCommandNamesShippedFiles_copiedUnderTheWorkingDirectory() {
        String workdir = after(runtime(), "WORKDIR").getFirst().args();
        List<String> cmd = only("CMD").json();
        assertThat(cmd).containsExactly("run", "--config", "config/pictor.yaml", "--bots", "bots");
        var copied = after(runtime(), "COPY").stream().map(Instruction::args).toList();
        for (String path : List.of(cmd.get(2), cmd.get(4))) {
            String top = path.split("/")[0];
            assertThat(Path.of(path)).as(path + " in the repository").exists();
            assertThat(copied).as("COPY of " + top + "/ into " + workdir).contains(top + "/ " + workdir + "/" + top + "/");
        }
        // and they load: the shipped files pass with no variable set (every bot then skipped)
        assertThat(ConfigLoader.of(Map.of()).load(Path.of(cmd.get(2)), Path.of(cmd.get(4))).bots()).isNotEmpty();
    }

    @Test
    void theHealthCheckProbesThePortTheShippedConfigServes() {
        int port = shipped.http().port();
        Matcher probe = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/healthz").matcher(only("HEALTHCHECK").args());
        assertThat(probe.find()).as(only("HEALTHCHECK").args()).isTrue();
        assertThat(Integer.parseInt(probe.group(1))).isEqualTo(port);
        assertThat(only("EXPOSE").args()).isEqualTo(String.valueOf(port));
        assertThat(only("STOPSIGNAL").args()).isEqualTo("SIGTERM");
    }

    @Test
    void theShippedDatabaseLandsInTheDataVolume_ownedByTheUserThatRunsIt() {
        String workdir = after(runtime(), "WORKDIR").getFirst().args();
        String url = shipped.storage().url();
        assertThat(url).startsWith("jdbc:sqlite:");
        String file = workdir + "/" + url.substring("jdbc:sqlite:".length());
        List<String> volumes = only("VOLUME").json();
        assertThat(volumes).anyMatch(v -> file.startsWith(v + "/"));
        String user = only("USER").args();
        String volume = volumes.stream().filter(v -> file.startsWith(v + "/")).findFirst().orElseThrow();
        assertThat(after(runtime(), "RUN")).extracting(Instruction::args)
                .anyMatch(r -> r.contains("chown -R " + user + ":" + user + " " + volume));
    }

    @Test
    void theDocumentedStopTimeoutOutlastsTheShutdownGrace() {
        Matcher timeout = Pattern.compile("--stop-timeout (\\d+)").matcher(text);
        assertThat(timeout.find()).as("the run command in the Dockerfile's header gives --stop-timeout").isTrue();
        assertThat(Long.parseLong(timeout.group(1))).isGreaterThan(shipped.shutdown().grace().toSeconds());
    }

    // ---- reading the Dockerfile ----------------------------------------------------------------------------------

    /** Instructions in order: comments dropped, continued lines joined, keyword upper-cased. */
    static List<Instruction> parse(String dockerfile) {
        var out = new ArrayList<Instruction>();
        var current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String l = line.strip();
            if (current.isEmpty() && (l.isEmpty() || l.startsWith("#"))) continue;
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            current.append(l);
            String joined = current.toString().strip().replaceAll("\\s+", " ");
            current.setLength(0);
            int space = joined.indexOf(' ');
            out.add(new Instruction(joined.substring(0, space).toUpperCase(java.util.Locale.ROOT), joined.substring(space + 1)));
        }
        return out;
    }

    /** The instructions of the stage whose FROM names it ({@code AS name}). */
    static List<Instruction> stage(String name) {
        var stages = stages();
        return stages.stream().filter(s -> s.getFirst().args().endsWith(" AS " + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    /** The last stage: the image that runs. */
    static List<Instruction> runtime() {
        return stages().getLast();
    }

    static List<List<Instruction>> stages() {
        var stages = new ArrayList<List<Instruction>>();
        for (Instruction i : all) {
            if (i.keyword().equals("FROM")) stages.add(new ArrayList<>());
            if (!stages.isEmpty()) stages.getLast().add(i);
        }
        return stages;
    }

    static List<Instruction> after(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    static Instruction only(String keyword) {
        var found = after(runtime(), keyword);
        assertThat(found).as("%s in the runtime stage", keyword).hasSize(1);
        return found.getFirst();
    }

    static String pomValue(String tag) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        var nodes = pom.getElementsByTagName(tag);
        assertThat(nodes.getLength()).as("<%s> in pom.xml", tag).isGreaterThan(0);
        return nodes.item(0).getTextContent().strip();
    }
}
