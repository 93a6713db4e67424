package dev.pictor;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.telegram.fake.FakeTelegram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Quickstart, run as written, start to finish: its lines are read from README.md (so this test breaks
 * when the README changes) and run by bash in a copy of the checkout (bin/, config/, bots/ and the built jar), with
 * every {@code '…'} of an {@code export} filled with a fake's secret and the shipped gateway, Telegram and Discord
 * URLs pointed at the fakes (AIMLAPI_BASE_URL, TELEGRAM_API_URL, DISCORD_API_URL, DISCORD_GATEWAY_URL).
 */
class QuickstartIT {
    /** What each {@code '…'} of the Quickstart stands for here. */
    static final Map<String, String> SECRETS = Map.of("AIMLAPI_KEY", JarRig.GATEWAY_KEY,
            "TELEGRAM_TOKEN", FakeTelegram.TOKEN, "DISCORD_TOKEN", FakeDiscord.TOKEN);
    static final Pattern EXPORT = Pattern.compile("(\\w+)='…'");

    @TempDir
    Path dir;
    JarRig rig;
    FakeDiscord discord;
    Process run;

    @AfterEach
    void stop() {
        if (run != null && run.isAlive()) run.destroyForcibly();
        if (rig != null) rig.close();
        if (discord != null) discord.close();
    }

    /** The Quickstart's command lines, comments and blank lines left out. */
    static List<String> quickstart() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Quickstart\n");
        assertThat(section).as("README has a Quickstart").isPositive();
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        return block.lines().map(l -> l.replaceFirst("\\s+#\\s.*$", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    private Path checkout() throws IOException {
        Path project = Files.createDirectories(dir.resolve("pictor"));
        for (String folder : List.of("bin", "config", "bots")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                for (Path f : files.toList()) {
                    Path to = Files.createDirectories(project.resolve(folder)).resolve(f.getFileName().toString());
                    Files.copy(f, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(project.resolve("target"));
        Files.copy(Path.of(System.getProperty("pictor.jar", "target/pictor.jar")), project.resolve("target/pictor.jar"));
        return project;
    }

    private ProcessBuilder bash(Path project, Map<String, String> env, String line, Path log) {
        var pb = new ProcessBuilder("/bin/bash", "-c", line).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear(); // nothing from the machine: no real key, no JAVA_TOOL_OPTIONS
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        pb.environment().put("HOME", dir.toString());
        pb.environment().putAll(env);
        return pb;
    }

    @Test
    void the_readmes_quickstart_runs_as_written_against_the_fakes() throws Exception {
        rig = new JarRig(dir);
        discord = FakeDiscord.start();
        Path project = checkout();
        // what the machine provides, not the Quickstart: the fakes' addresses and a free port
        var env = new HashMap<String, String>(Map.of("AIMLAPI_BASE_URL", rig.gatewayUrl(),
                "TELEGRAM_API_URL", rig.telegram.url().toString(),
                "DISCORD_API_URL", discord.apiUrl(), "DISCORD_GATEWAY_URL", discord.gatewayUrl(),
                "PICTOR_HTTP_PORT", "0"));
        List<String> lines = quickstart();
        assertThat(lines).as("the Quickstart builds, checks, generates and runs").hasSizeGreaterThanOrEqualTo(4);
        var done = new ArrayList<String>();
        int n = 0;
        for (String line : lines) {
            Path log = dir.resolve("step-" + (++n) + ".log");
            if (line.equals("./mvnw -B verify")) {
                // this test runs inside that very command, after the jar was built
                assertThat(Path.of(System.getProperty("pictor.jar", "target/pictor.jar"))).isRegularFile();
            } else if (line.startsWith("export ")) {
                Matcher m = EXPORT.matcher(line);
                int found = 0;
                while (m.find()) {
                    assertThat(SECRETS).as("a secret this test can fake: " + m.group(1)).containsKey(m.group(1));
                    env.put(m.group(1), SECRETS.get(m.group(1)));
                    found++;
                }
                assertThat(found).as("an export of '…' values: " + line).isPositive();
            } else if (line.startsWith("bin/pictor run")) {
                run = bash(project, env, line, log).start();
                rig.process = run;
                rig.await(() -> JarRig.read(log).contains("pictor run: started") ? true : null, "run never started");
                Matcher port = JarRig.PORT.matcher(JarRig.read(log));
                assertThat(port.find()).isTrue();
                int p = Integer.parseInt(port.group(1));
                rig.await(() -> {
                    var r = rig.get(p, "/healthz");
                    return r != null && r.statusCode() == 200 ? r.body() : null;
                }, "/healthz never answered 200");
                assertThat(JarRig.read(log)).contains("telegram bot telegram (@" + FakeTelegram.BOT_USERNAME + ")").contains("discord bot discord");
                run.destroy(); // Ctrl-C's SIGTERM cousin: the Quickstart's run ends when the admin stops it
                assertThat(run.waitFor(JarRig.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(run.exitValue()).as(JarRig.read(log)).isZero();
            } else if (line.startsWith("bin/pictor ")) {
                Process p = bash(project, env, line, log).start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(line).isTrue();
                assertThat(p.exitValue()).as(line + "\n" + JarRig.read(log)).isZero();
                if (line.startsWith("bin/pictor imagine")) {
                    // "writes out/<job>-1.png, prints its path"
                    Matcher path = Pattern.compile("(?m)^(out/[0-9a-z]{16}-1\\.png)$").matcher(JarRig.read(log));
                    assertThat(path.find()).as(JarRig.read(log)).isTrue();
                    assertThat(project.resolve(path.group(1))).isRegularFile();
                    assertThat(rig.prompts).containsExactly("a red fox in fresh snow");
                }
            } else {
                throw new AssertionError("the Quickstart has a line this test does not know how to run: " + line);
            }
            done.add(line);
        }
        assertThat(done).anyMatch(l -> l.startsWith("bin/pictor check")).anyMatch(l -> l.startsWith("bin/pictor imagine"))
                .anyMatch(l -> l.startsWith("bin/pictor run"));
        // and no step printed a secret
        for (int i = 1; i <= n; i++) {
            String log = JarRig.read(dir.resolve("step-" + i + ".log"));
            for (String secret : SECRETS.values()) assertThat(log).doesNotContain(secret);
        }
    }
}
