package dev.pictor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
 * the port the shipped configuration serves (whatever PICTOR_HTTP_PORT says), the database lands in the data volume,
 * and the documented stop timeout outlasts the shutdown grace. So is the kit beside it: compose.yaml runs the image
 * the same way, .env.example names every variable the shipped files read, and .dockerignore keeps secrets out.
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
        // through the launcher, copied beside it (where the launcher looks for pictor.jar)
        assertThat(only("ENTRYPOINT").json()).containsExactly("/app/pictor");
        assertThat(after(runtime(), "COPY")).extracting(Instruction::args).contains("--chmod=755 bin/pictor /app/pictor");
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
    void theHealthCheckProbesThePortTheShippedConfigServes_whateverPortIsSet() {
        // given the image's environment, then the same with another port chosen as its comment says
        Map<String, String> image = imageEnv();
        assertThat(image).containsEntry("PICTOR_HTTP_BIND", "0.0.0.0"); // reachable through a published port
        var other = new java.util.HashMap<>(image);
        other.put("PICTOR_HTTP_PORT", "9191");
        for (Map<String, String> env : List.of(image, other)) {
            // then the probe (a shell command, expanded when it runs) asks the port that configuration serves
            PictorConfig config = ConfigLoader.of(env).load(Path.of("config/pictor.yaml")).config();
            String probe = shellExpand(only("HEALTHCHECK").args(), env);
            Matcher url = Pattern.compile("\"(http://127\\.0\\.0\\.1:(\\d+)/healthz)\"").matcher(probe);
            assertThat(url.find()).as(probe).isTrue();
            assertThat(Integer.parseInt(url.group(2))).as("probed port with " + env).isEqualTo(config.http().port());
            assertThat(config.http().bind()).isEqualTo("0.0.0.0");
        }
        assertThat(only("HEALTHCHECK").args()).startsWith("--interval=").contains(" CMD curl -fsS ");
        assertThat(only("EXPOSE").args()).isEqualTo(image.get("PICTOR_HTTP_PORT"));
        assertThat(only("STOPSIGNAL").args()).isEqualTo("SIGTERM");
    }

    /** The runtime stage's ENV, as the process (and the health check) sees it. */
    static Map<String, String> imageEnv() {
        var env = new java.util.LinkedHashMap<String, String>();
        for (Instruction i : after(runtime(), "ENV")) {
            Matcher kv = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(i.args());
            while (kv.find()) env.put(kv.group(1), kv.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    /** {@code ${VAR}} and {@code $VAR} replaced as /bin/sh would (unset: empty). */
    static String shellExpand(String command, Map<String, String> env) {
        return Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(command)
                .replaceAll(m -> Matcher.quoteReplacement(env.getOrDefault(m.group(1) != null ? m.group(1) : m.group(2), "")));
    }

    @Test
    void theImageStartsTheJvmThroughTheLauncher_withItsMemoryOptionsAndTheCacheInTheDataVolume() throws Exception {
        // given the runtime stage's environment and its Java
        var env = imageEnv();
        Matcher jre = Pattern.compile("eclipse-temurin:(\\d+)-jre").matcher(runtime().getFirst().args());
        assertThat(jre.find()).isTrue();
        String javaVersion = jre.group(1);
        // then the image's own options leave the collector and the first heap to the launcher (a collector in both
        // would stop the JVM: "Multiple garbage collectors selected")
        List<String> options = List.of(env.get("JAVA_TOOL_OPTIONS").split(" "));
        assertThat(options).containsExactlyInAnyOrder("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError");
        // and the ahead-of-time cache is kept in the data volume, the one place the image's user may write
        String volume = only("VOLUME").json().getFirst();
        assertThat(env.get("PICTOR_AOT_CACHE")).startsWith(volume + "/");
        // when the launcher starts as the image starts it: /app/pictor beside /app/pictor.jar, the image's environment,
        // a Java of the image's version (a fake one that prints what it was started with), the default command
        Path app = Files.createDirectories(temp.resolve("app")), data = Files.createDirectories(temp.resolve("data"));
        Path launcher = Files.copy(Path.of("bin/pictor"), app.resolve("pictor"));
        Files.writeString(app.resolve("pictor.jar"), "");
        Path fakeJava = Files.createDirectories(temp.resolve("jdk/bin")).resolve("java");
        Files.writeString(fakeJava, """
                #!/bin/bash
                if [[ $1 == -version ]]; then echo 'openjdk version "%s.0.1" 2026-01-20' >&2; exit 0; fi
                echo "$* MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
                """.formatted(javaVersion));
        Files.setPosixFilePermissions(fakeJava, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var pb = new ProcessBuilder(new ArrayList<>(List.of("/bin/bash", launcher.toString())));
        pb.command().addAll(only("CMD").json());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PICTOR_AOT_CACHE", data + env.get("PICTOR_AOT_CACHE").substring(volume.length()));
        pb.environment().put("JAVA_HOME", fakeJava.getParent().getParent().toString());
        Process p = pb.directory(app.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        // then the JVM gets the launcher's memory options and two malloc arenas, and the first run records the cache
        assertThat(out).contains("-XX:+UseParallelGC -Xms16m -XX:ErgoHeapSizeLimit=256m").contains("MALLOC_ARENA_MAX=2")
                .contains("-XX:AOTCacheOutput=" + data.resolve("pictor.aot"));
        if (Integer.parseInt(javaVersion) >= 25) assertThat(out).contains("-XX:+UseCompactObjectHeaders");
        assertThat(out).contains("-jar " + app.resolve("pictor.jar") + " run --config config/pictor.yaml --bots bots");
    }

    @org.junit.jupiter.api.io.TempDir
    Path temp;

    @Test
    void theBuildTakesTheCommitAsAnArgument_sinceGitIsNotSentToIt() throws Exception {
        var arg = after(stage("build"), "ARG");
        assertThat(arg).extracting(Instruction::args).contains("PICTOR_COMMIT=unknown");
        assertThat(after(stage("build"), "RUN")).extracting(Instruction::args)
                .anyMatch(r -> r.contains("-Dgit.commit.id.abbrev=${PICTOR_COMMIT}") && r.contains("package"));
        assertThat(dockerignore()).contains(".git/");
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
        assertThat(Long.parseLong(timeout.group(1))).isGreaterThan(shipped.shutdown().grace().toSeconds() + CACHE_WRITE_SECONDS);
    }

    /**
     * What the stop timeout leaves beyond the shutdown grace: a first run writes its ahead-of-time cache as the JVM
     * exits, after the drain (5.5 s on 2 cores with nothing left to drain; 36-37 s in all after a full 30 s drain: StartupBench
     * train, docs/benchmarks.md, issue #15); cut off, the next start would record the cache again.
     */
    static final long CACHE_WRITE_SECONDS = 10;

    // ---- the deployment kit beside it: compose.yaml, .env.example, .dockerignore -----------------------------------

    @Test
    void composeRunsTheImageLikeTheDockerfileSays_onePortVariableForServeProbeAndPublish() throws Exception {
        JsonNode pictor = new YAMLMapper().readTree(Path.of("compose.yaml").toFile()).path("services").path("pictor");
        // the image is built here, with the commit passed through
        assertThat(pictor.path("build").path("context").asText()).isEqualTo(".");
        assertThat(pictor.path("build").path("args").path("PICTOR_COMMIT").asText()).startsWith("${PICTOR_COMMIT");
        // the secrets come from .env (made from .env.example)
        assertThat(pictor.path("env_file").asText()).isEqualTo(".env");
        // the port pictor serves (and the HEALTHCHECK probes) is the container side of the published port
        String port = pictor.path("environment").path("PICTOR_HTTP_PORT").asText();
        assertThat(port).isEqualTo("${PICTOR_HTTP_PORT:-" + imageEnv().get("PICTOR_HTTP_PORT") + "}");
        assertThat(pictor.path("ports")).singleElement().extracting(JsonNode::asText)
                .isEqualTo("127.0.0.1:" + port + ":" + port);
        // the mounts are the files the command names and the image's data volume
        String workdir = after(runtime(), "WORKDIR").getFirst().args();
        assertThat(pictor.path("volumes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "./config:" + workdir + "/config:ro", "./bots:" + workdir + "/bots:ro",
                "pictor-data:" + only("VOLUME").json().getFirst());
        // and Docker waits longer than the shutdown grace before it kills pictor
        Matcher grace = Pattern.compile("(\\d+)s").matcher(pictor.path("stop_grace_period").asText());
        assertThat(grace.matches()).isTrue();
        assertThat(Long.parseLong(grace.group(1))).isGreaterThan(shipped.shutdown().grace().toSeconds() + CACHE_WRITE_SECONDS);
    }

    @Test
    void envExampleNamesEveryVariableTheShippedFilesRead_andNothingElse_withNoSecretFilledIn() throws Exception {
        // given every ${VAR} the shipped configuration, bot profiles and logging read
        var read = new java.util.TreeSet<String>();
        var files = new ArrayList<Path>(List.of(Path.of("config/pictor.yaml")));
        try (var bots = Files.list(Path.of("bots"))) {
            bots.filter(f -> f.toString().endsWith(".yaml")).forEach(files::add);
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                String value = line.contains("#") && f.toString().endsWith(".yaml") ? line.substring(0, line.indexOf('#')) : line;
                Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(value);
                while (m.find()) read.add(m.group(1));
            }
        }
        // and the variables logging reads itself (ops/LogSetup: env.apply("PICTOR_LOG_…"))
        Matcher logVars = Pattern.compile("env\\.apply\\(\"([A-Z][A-Z0-9_]*)\"\\)")
                .matcher(Files.readString(Path.of("src/main/java/dev/pictor/ops/LogSetup.java")));
        while (logVars.find()) read.add(logVars.group(1));
        assertThat(read).contains("DISCORD_TOKEN", "TELEGRAM_TOKEN", "AIMLAPI_KEY", "PICTOR_HTTP_PORT", "PICTOR_HTTP_BIND",
                "PICTOR_LOG_FORMAT", "PICTOR_LOG_LEVEL");
        // then .env.example names each of them (set, or commented out), and no other
        var named = new java.util.TreeMap<String, String>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            Matcher kv = Pattern.compile("^#?\\s?([A-Z][A-Z0-9_]*)=(.*)$").matcher(line);
            if (kv.matches()) named.put(kv.group(1), kv.group(2));
        }
        assertThat(named.keySet()).containsExactlyInAnyOrderElementsOf(read);
        // and every token and key is left empty
        named.forEach((k, v) -> {
            if (k.endsWith("_TOKEN") || k.endsWith("_KEY")) assertThat(v).as(k).isEmpty();
        });
        // and the shipped files load with it as the environment
        var env = new java.util.HashMap<String, String>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (!line.startsWith("#") && line.contains("=")) env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        var loaded = ConfigLoader.of(env).load(Path.of("config/pictor.yaml"), Path.of("bots"));
        assertThat(loaded.config().http()).isEqualTo(shipped.http());
    }

    @Test
    void dockerignoreKeepsSecretsDataAndBuildOutputOut_butNothingTheBuildCopies() throws Exception {
        var patterns = dockerignore();
        // what COPY sends (pom.xml, src/, bin/pictor, config/, bots/) gets through
        for (String sent : List.of("pom.xml", "bin/pictor", "src/main/java/dev/pictor/Main.java", "src/main/resources/META-INF/services/ch.qos.logback.classic.spi.Configurator",
                "config/pictor.yaml", "bots/discord.yaml", "bots/telegram.yaml")) {
            assertThat(ignored(patterns, sent)).as(sent + " reaches the build").isFalse();
        }
        // and a filled-in .env, a local database and a local build do not
        for (String kept : List.of(".env", ".env.local", "data/pictor.db", "pictor.db-wal", "target/pictor.jar", ".git/HEAD")) {
            assertThat(ignored(patterns, kept)).as(kept + " stays out of the build").isTrue();
        }
        assertThat(ignored(patterns, ".env.example")).isFalse();
    }

    static List<String> dockerignore() throws IOException {
        return Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Whether Docker leaves {@code path} out: the last pattern that matches it (or a folder above it) decides. */
    static boolean ignored(List<String> patterns, String path) {
        boolean out = false;
        for (String pattern : patterns) {
            boolean negate = pattern.startsWith("!");
            String glob = (negate ? pattern.substring(1) : pattern).replaceAll("/$", "");
            var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            Path p = Path.of(path);
            boolean matches = false;
            for (int i = 1; i <= p.getNameCount(); i++) matches |= matcher.matches(p.subpath(0, i));
            if (matches) out = !negate;
        }
        return out;
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
