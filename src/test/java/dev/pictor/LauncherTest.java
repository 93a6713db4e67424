package dev.pictor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/pictor}, the launcher the README's lines use, run as a newcomer's shell runs it: with an old default
 * {@code java}, with none at all, with {@code JAVA_HOME} pointing at an old one. Fake {@code java} scripts answer
 * {@code -version} like the real ones and otherwise print the arguments they were started with.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("bin/pictor").toAbsolutePath();
    /** The launcher's compiler option: the quick compiler only (docs/benchmarks.md, issue #15: the first burst). */
    static final String JIT = "-XX:TieredStopAtLevel=1";
    /** The options the launcher gives every Java: that, and memory (docs/benchmarks.md, issue #15: idle RSS). */
    static final String MEMORY = JIT + " -XX:+UseParallelGC -Xms16m -XX:ErgoHeapSizeLimit=256m";
    /** The name of the parallel collector's first generation the JVM lists (the young or the old one). */
    static final String PARALLEL = "PS (Scavenge|MarkSweep)";
    /** ... and Java 25 or newer. */
    static final String MEMORY_25 = MEMORY + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000";

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    /** A fake JDK home {@code home} whose {@code bin/java} says it is Java {@code version}; returns that file. */
    private Path fakeJava(Path home, String version) throws IOException {
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/bin/bash
                if [[ $1 == -version ]]; then
                  echo 'openjdk version "%s" 2024-01-16' >&2
                  echo 'OpenJDK Runtime Environment (build %s)' >&2
                  exit 0
                fi
                echo "ran $0 $*"
                """.formatted(version, version));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    /** A fake Java {@code version} that also prints the MALLOC_ARENA_MAX it was started with. */
    private Path fakeJavaShowingArenas(Path home, String version) throws IOException {
        Path java = fakeJava(home, version);
        Files.writeString(java, Files.readString(java) + "echo \"MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-unset}\"\n");
        return java;
    }

    /**
     * Runs the launcher with {@code env} and no ahead-of-time cache (PICTOR_AOT_CACHE empty unless {@code env} sets
     * it), so that a {@code run} on Java 25 is not a training run; {@link #launchAsShipped} leaves the cache to the
     * launcher's default.
     */
    private Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        var withoutCache = new java.util.HashMap<String, String>();
        withoutCache.put("PICTOR_AOT_CACHE", "");
        withoutCache.putAll(env);
        return launchAsShipped(launcher, withoutCache, args);
    }

    private Run launchAsShipped(Path launcher, Map<String, String> env, String... args) throws Exception {
        var command = new ArrayList<>(List.of("/bin/bash", launcher.toString()));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("PICTOR_JDK_DIRS", ""); // none of this machine's own JDKs
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout"), err = dir.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void with_only_an_old_java_on_the_path_it_says_which_it_found_and_what_to_install() throws Exception {
        // given a PATH whose only java is 17 (the newcomer's default), no JAVA_HOME
        Path old = fakeJava(dir.resolve("jdk17"), "17.0.9");
        // when
        var run = launch(LAUNCHER, Map.of("PATH", old.getParent().toString()), "check");
        // then it does not start java 17 at all
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).doesNotContain("ran");
        assertThat(run.err()).contains("pictor needs Java 21 or newer, and found none.")
                .contains(old + " (Java 17, PATH)")
                .contains("sudo apt-get install openjdk-21-jre-headless")
                .contains("https://adoptium.net");
    }

    @Test
    void with_no_java_anywhere_it_says_so_and_what_to_install() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        var run = launch(LAUNCHER, Map.of("PATH", empty.toString()), "check");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("No java was found (JAVA_HOME is not set; none on the PATH or in the usual places).")
                .contains("Install a JDK or JRE 21 or newer");
    }

    @Test
    void an_old_java_home_is_passed_over_for_a_new_java_on_the_path_and_the_jar_gets_every_argument() throws Exception {
        // given JAVA_HOME at Java 17 (what the README once said to set), and a Java 25 on the PATH
        Path oldHome = dir.resolve("jdk17");
        fakeJava(oldHome, "17.0.9");
        Path newer = fakeJava(dir.resolve("jdk25"), "25.0.1");
        Path jar = Files.writeString(dir.resolve("some.jar"), "");
        // when
        var run = launch(LAUNCHER, Map.of("JAVA_HOME", oldHome.toString(), "PATH", newer.getParent().toString(),
                "PICTOR_JAR", jar.toString()), "imagine", "a red fox", "--ar", "16:9");
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ran " + newer + " " + MEMORY_25 + " -jar " + jar + " imagine a red fox --ar 16:9\n");
        assertThat(run.err()).contains("JAVA_HOME (" + oldHome + ") is not Java 21 or newer; using " + newer);
    }

    @Test
    void a_new_jdk_in_the_usual_places_is_found_when_path_and_java_home_have_only_old_ones() throws Exception {
        // given Java 8 (it says 1.8) in JAVA_HOME, 17 on the PATH, and a JDK 21 installed under a usual place
        Path home8 = dir.resolve("jdk8");
        fakeJava(home8, "1.8.0_392");
        Path old = fakeJava(dir.resolve("jdk17"), "17.0.9");
        Path jvm = Files.createDirectories(dir.resolve("jvm"));
        fakeJava(jvm.resolve("java-17-openjdk"), "17.0.9");
        Path found = fakeJava(jvm.resolve("temurin-21-jdk"), "21.0.5");
        Path jar = Files.writeString(dir.resolve("some.jar"), "");
        // when
        var run = launch(LAUNCHER, Map.of("JAVA_HOME", home8.toString(), "PATH", old.getParent().toString(),
                "PICTOR_JDK_DIRS", jvm.toString(), "PICTOR_JAR", jar.toString()), "check");
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ran " + found + " " + MEMORY + " -jar " + jar + " check\n");
    }

    @Test
    void a_launcher_copied_beside_the_jar_runs_that_jar() throws Exception {
        // given an admin's folder with only the launcher and pictor.jar
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk21"), "21.0.5");
        // when
        var run = launch(launcher, Map.of("PATH", java.getParent().toString()), "run");
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ran " + java + " " + MEMORY + " -jar " + jar + " run\n");
    }

    @Test
    void with_no_jar_built_yet_it_says_how_to_build_it() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("checkout/bin"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path java = fakeJava(dir.resolve("jdk21"), "21.0.5");
        var run = launch(launcher, Map.of("PATH", java.getParent().toString()), "check");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("no pictor.jar at " + folder + "/../target/pictor.jar; build it with ./mvnw -B verify");
    }

    @Test
    void on_java_25_an_ahead_of_time_cache_beside_the_jar_is_used() throws Exception {
        // given an admin's folder with the launcher, pictor.jar and the pictor.aot a training run made for it
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk25"), "25.0.3");
        Path cache = cacheMadeBy(folder.resolve("pictor.aot"), java);
        // when
        var run = launchAsShipped(launcher, Map.of("PATH", java.getParent().toString()), "run");
        // then the JVM gets the cache, and is told to keep quiet should it find the cache unusable
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ran " + java + " -XX:AOTCache=" + cache + " -Xlog:aot=off -Xlog:cds=off " + MEMORY_25
                + " -jar " + jar + " run\n");
        assertThat(run.err()).isEmpty();
        // and so do the other commands
        run = launchAsShipped(launcher, Map.of("PATH", java.getParent().toString()), "stats");
        assertThat(run.out()).contains(" -XX:AOTCache=" + cache + " ");
    }

    @Test
    void on_java_25_a_run_with_no_cache_yet_records_one_and_says_so_other_commands_do_not() throws Exception {
        // given an admin's folder with the launcher and pictor.jar, no cache yet, and Java 25
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk25"), "25.0.3");
        var env = Map.of("PATH", java.getParent().toString());
        // when a command other than run starts: no training (it would only slow a short command down)
        var stats = launchAsShipped(launcher, env, "stats");
        assertThat(stats.out()).isEqualTo("ran " + java + " " + MEMORY_25 + " -jar " + jar + " stats\n");
        assertThat(folder.resolve("pictor.aot")).doesNotExist();
        // when run starts
        var run = launchAsShipped(launcher, env, "run");
        // then this run records the cache beside the jar, the admin is told, and which Java made it is noted
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path cache = folder.resolve("pictor.aot");
        Path note = folder.resolve("pictor.aot.java");
        assertThat(run.out()).isEqualTo("ran " + java + " -XX:AOTCacheOutput=" + cache + " -Dpictor.aot.note=" + note
                + " -Xlog:aot=off -Xlog:cds=off -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining " + MEMORY_25
                + " -jar " + jar + " run\n");
        assertThat(run.err()).contains("this run records one to " + cache + ", written once pictor has served for 10 minutes"
                        + " and no job runs (JAVA_OPTS=-Dpictor.aot.training=30m, say, for longer), or when it stops if sooner")
                .contains("PICTOR_AOT_CACHE= turns this off");
        // the note of what the cache is for waits until pictor has started (pictor moves it into place then)
        assertThat(note).isEmptyFile();
        assertThat(Files.readString(folder.resolve("pictor.aot.java.pending")))
                .isEqualTo(java + "\nopenjdk version \"25.0.3\" 2024-01-16\nOpenJDK Runtime Environment (build 25.0.3)\n" + jar + "\n" + MEMORY_25 + "\n");
        // and a cache elsewhere is recorded there
        Path elsewhere = Files.createDirectories(dir.resolve("data")).resolve("pictor.aot");
        run = launchAsShipped(launcher, Map.of("PATH", java.getParent().toString(), "PICTOR_AOT_CACHE", elsewhere.toString()), "run");
        assertThat(run.out()).startsWith("ran " + java + " -XX:AOTCacheOutput=" + elsewhere + " ");
        // and a Java after 25 trains with its own defaults (the flag that leaves the profiles out is Java 25's)
        Path java26 = fakeJava(dir.resolve("jdk26"), "26");
        run = launchAsShipped(launcher, Map.of("PATH", java26.getParent().toString(), "PICTOR_AOT_CACHE",
                dir.resolve("data/pictor26.aot").toString()), "run");
        assertThat(run.out()).contains(" -XX:AOTCacheOutput=").doesNotContain("AOTRecordTraining");
    }

    @Test
    void a_cache_older_than_the_jar_made_by_another_java_or_cut_off_while_written_is_recorded_again() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk25"), "25.0.3");
        var env = Map.of("PATH", java.getParent().toString());
        Path cache = cacheMadeBy(folder.resolve("pictor.aot"), java);
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCache=" + cache + " ");
        // given a jar rebuilt after the cache was made
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() + 60_000));
        var run = launchAsShipped(launcher, env, "run");
        // then run records it again; the stale cache is left as it is (another pictor may run on it: the JVM maps it),
        // but its note is emptied, so that a training run cut off is never taken as good
        assertThat(run.out()).contains(" -XX:AOTCacheOutput=" + cache + " ").doesNotContain("-XX:AOTCache=");
        assertThat(cache).hasContent("cache");
        assertThat(folder.resolve("pictor.aot.java")).isEmptyFile();
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // given a cache made for this jar, but by another Java (an upgraded JDK at the same place)
        cache = cacheMadeBy(cache, java);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 60_000));
        Files.writeString(folder.resolve("pictor.aot.java"), java + "\nopenjdk version \"25.0.1\" 2024-01-16\n");
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // given a cache whose writing was cut off (the JVM's temporary configuration is still there)
        cache = cacheMadeBy(cache, java);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 60_000));
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCache=" + cache + " ");
        Files.writeString(folder.resolve("pictor.aot.config"), "half");
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // given a cache made with other JVM options (the JVM refuses a cache made with another collector, say)
        cache = cacheMadeBy(cache, java, jar, MEMORY_25 + " -XX:+UseZGC");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 60_000));
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // given a jar replaced while the training run ran (a new image built before the old container stopped): the
        // cache the old run wrote is newer than the new jar, but it is the old jar's
        cache = cacheMadeBy(cache, java);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 1_000));
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // given a cache older than its note: a training run that got pictor started, then was killed before the JVM
        // could write the cache, left the cache of an earlier run
        cache = cacheMadeBy(cache, java);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 60_000));
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCache=" + cache + " ");
        Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(folder.resolve("pictor.aot.java")).toMillis() - 1_000));
        assertThat(launchAsShipped(launcher, env, "run").out()).contains(" -XX:AOTCacheOutput=" + cache + " ");
        // and where the cache's folder does not exist (or cannot be written), nothing is recorded and pictor starts
        // as without a cache
        Path noCache = dir.resolve("no-such-folder/pictor.aot");
        run = launchAsShipped(launcher, Map.of("PATH", java.getParent().toString(), "PICTOR_AOT_CACHE", noCache.toString()), "run");
        assertThat(run.out()).isEqualTo("ran " + java + " " + MEMORY_25 + " -jar " + jar + " run\n");
        assertThat(run.err()).isEmpty();
    }

    /** What {@code file} holds once it contains {@code text} (waiting up to 10 s for it), or at the end of the wait. */
    private static String awaitContaining(Path file, String text) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String now = Files.readString(file, StandardCharsets.UTF_8);
        while (!now.contains(text) && System.nanoTime() < until) {
            Thread.sleep(20);
            now = Files.readString(file, StandardCharsets.UTF_8);
        }
        return now;
    }

    /** A secret of the admin's, in an option: no output of the launcher or the JVMs it starts may show it. */
    private static final String NOT_SHOWN = "hunter2-in-an-option";

    @Test
    void a_run_that_records_the_cache_shows_the_options_the_jvm_picked_up_without_them_and_the_rest_as_it_is() throws Exception {
        // given Java 25 that, like the child JVM writing the cache, prints the options it was handed, then more
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk25"), "25.0.3");
        Files.writeString(java, Files.readString(java) + """
                echo "Picked up JAVA_TOOL_OPTIONS: -Dpictor.test.password=%s -XX:AOTMode=create" >&2
                echo "an error of the JVM's own" >&2
                printf 'its last words, no newline' >&2
                exit 3
                """.formatted(NOT_SHOWN));
        var env = Map.of("PATH", java.getParent().toString(), "JAVA_OPTS", "-Dpictor.test.password=" + NOT_SHOWN);
        // when run starts and records the cache
        var run = launchAsShipped(launcher, env, "run");
        // then the line with the options is shown without them, everything else as it came, and the exit code is Java's
        // (the filter may write the last lines a moment after the JVM, which the launcher became, has exited)
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(awaitContaining(dir.resolve("stderr"), "its last words")).contains("this run records one to")
                .contains("Picked up JAVA_TOOL_OPTIONS: (this run's options, not shown: an option may hold a secret)\n"
                        + "an error of the JVM's own\nits last words, no newline")
                .doesNotContain(NOT_SHOWN);
        // when a run records nothing (no cache wanted), the JVM's error stream is its own, as always
        var plain = launch(launcher, env, "run");
        assertThat(plain.err()).contains("Picked up JAVA_TOOL_OPTIONS: -Dpictor.test.password=");
    }

    @Test
    void with_the_real_java_25_a_first_run_records_the_cache_and_the_next_run_starts_with_it() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 to run the tests");
        // (in a folder whose name has spaces: the JVM hands the cache's and the jar's paths to the child that writes the
        // cache in JAVA_TOOL_OPTIONS, a list split on spaces unless quoted)
        Path folder = Files.createDirectories(dir.resolve("pictor deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = helloJar(folder.resolve("pictor.jar"), """
                String note = System.getProperty("pictor.aot.note");
                if (note != null && !java.util.Arrays.asList(args).contains("--fail")) {
                    try { // as pictor does once started (dev.pictor.cli.AotTraining)
                        java.nio.file.Files.move(java.nio.file.Path.of(note + ".pending"), java.nio.file.Path.of(note),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                System.out.println("hello from pictor.jar " + java.util.Arrays.toString(args));
                """);
        // and an admin's option that holds a secret, which the JVM that writes the cache is handed and prints
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Dpictor.test.password=" + NOT_SHOWN);
        // when pictor's first run fails before it started (a bad configuration, say)
        var failed = launchAsShipped(launcher, env, "run", "--fail");
        assertThat(failed.exitCode()).as(failed.err()).isZero();
        assertThat(failed.err()).contains("this run records one to");
        // then the cache the JVM wrote on its way out is not used: the next run records it again
        // when pictor runs for the first time and stops
        var first = launchAsShipped(launcher, env, "run");
        // then the JVM wrote the cache on its way out, and nothing of it is left half-done
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("hello from pictor.jar [run]\n");
        assertThat(first.err()).contains("this run records one to");
        assertThat(Files.size(folder.resolve("pictor.aot"))).isPositive();
        // and the child JVM's line with this run's options is shown without them, in both runs that recorded
        assertThat(first.err()).contains("Picked up JAVA_TOOL_OPTIONS: (this run's options, not shown");
        assertThat(failed.err() + failed.out() + first.err() + first.out()).doesNotContain(NOT_SHOWN);
        assertThat(folder.resolve("pictor.aot.config")).doesNotExist();
        // when it runs again
        var second = launchAsShipped(launcher, env, "run");
        // then it starts with the cache, quietly
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("hello from pictor.jar [run]\n");
        assertThat(second.err()).isEmpty();
        // and the JVM takes that cache with the launcher's options (AOTMode=on: it would stop, "Unable to use AOT cache")
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTCache=" + folder.resolve("pictor.aot"), "-XX:AOTMode=on"));
        command.addAll(List.of(MEMORY_25.split(" ")));
        command.addAll(List.of("-jar", jar.toString(), "run"));
        var strict = new ProcessBuilder(command).redirectErrorStream(true).start();
        String strictOut = new String(strict.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(strict.waitFor()).as(strictOut).isZero();
        assertThat(strictOut).isEqualTo("hello from pictor.jar [run]\n");
    }

    /**
     * A (pretend) cache at {@code cache} that a training run of {@code java} recorded for {@code jar} with the JVM
     * options {@code options}: its note of what it is for, as pictor moves it into place once started, then the cache,
     * written after it (as the JVM does when it exits).
     */
    private Path cacheMadeBy(Path cache, Path java, Path jar, String options) throws Exception {
        Files.deleteIfExists(cache.resolveSibling(cache.getFileName() + ".config"));
        var version = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        assertThat(version.waitFor()).isZero();
        Path note = Files.writeString(cache.resolveSibling(cache.getFileName() + ".java"), java + "\n" + text + "\n" + jar + "\n" + options + "\n");
        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(note).toMillis() + 2_000));
        return cache;
    }

    /** The same, made with the launcher's own options for Java 25. */
    private Path cacheMadeBy(Path cache, Path java) throws Exception {
        return cacheMadeBy(cache, java, cache.resolveSibling("pictor.jar"), MEMORY_25);
    }

    @Test
    void on_java_21_or_with_the_cache_turned_off_no_cache_option_is_given() throws Exception {
        // given the same folder, but Java 21 (which has no ahead-of-time cache and would refuse the option)
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Files.writeString(folder.resolve("pictor.aot"), "");
        Path java21 = fakeJava(dir.resolve("jdk21"), "21.0.5");
        Path java25 = fakeJava(dir.resolve("jdk25"), "25.0.3");
        // then Java 21 starts the jar as ever
        var run = launch(launcher, Map.of("PATH", java21.getParent().toString()), "run");
        assertThat(run.out()).isEqualTo("ran " + java21 + " " + MEMORY + " -jar " + jar + " run\n");
        // and so does Java 25 when PICTOR_AOT_CACHE is set empty
        run = launch(launcher, Map.of("PATH", java25.getParent().toString(), "PICTOR_AOT_CACHE", ""), "run");
        assertThat(run.out()).isEqualTo("ran " + java25 + " " + MEMORY_25 + " -jar " + jar + " run\n");
    }

    @Test
    void a_cache_the_jvm_cannot_use_is_ignored_and_the_jar_starts_as_without_it() throws Exception {
        // given this machine's own Java 25+, and beside a jar a pictor.aot that is not a cache for it (stale, broken)
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 to run the tests");
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = helloJar(folder.resolve("pictor.jar"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.writeString(cacheMadeBy(folder.resolve("pictor.aot"), java), "made by another JVM for another jar");
        // when
        var run = launchAsShipped(launcher, Map.of("JAVA_HOME", System.getProperty("java.home")), "run");
        // then the jar runs, and the admin sees nothing but its output
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("hello from " + jar.getFileName() + " [run]\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void every_java_gets_the_memory_options_and_two_malloc_arenas_and_java_25_compact_headers_and_native_trim_too() throws Exception {
        // given a folder with the launcher and its jar, and a Java 21 and a Java 25
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java21 = fakeJavaShowingArenas(dir.resolve("jdk21"), "21.0.5");
        Path java25 = fakeJavaShowingArenas(dir.resolve("jdk25"), "25.0.3");
        // then Java 21 gets the parallel collector and a small first heap, and glibc two arenas
        var run = launch(launcher, Map.of("PATH", java21.getParent().toString()), "run");
        assertThat(run.out()).isEqualTo("ran " + java21 + " " + MEMORY + " -jar " + jar + " run\nMALLOC_ARENA_MAX=2\n");
        // and Java 25, where compact object headers and the native heap trim are product options, those as well
        run = launch(launcher, Map.of("PATH", java25.getParent().toString()), "run");
        assertThat(run.out()).isEqualTo("ran " + java25 + " " + MEMORY_25 + " -jar " + jar + " run\nMALLOC_ARENA_MAX=2\n");
    }

    @Test
    void java_opts_and_an_admins_malloc_arenas_override_the_launchers_memory_settings() throws Exception {
        // given an admin who wants G1, a bigger first heap and no compact headers, and eight arenas
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJavaShowingArenas(dir.resolve("jdk25"), "25.0.3");
        // when
        var run = launch(launcher, Map.of("PATH", java.getParent().toString(), "MALLOC_ARENA_MAX", "8",
                "JAVA_OPTS", "-XX:+UseG1GC -Xms512m -XX:-UseCompactObjectHeaders"), "run");
        // then the options they set are left out of the launcher's (the JVM refuses two collectors), and JAVA_OPTS
        // comes last
        assertThat(run.out()).isEqualTo("ran " + java + " " + JIT + " -XX:ErgoHeapSizeLimit=256m -XX:TrimNativeHeapInterval=5000"
                + " -XX:+UseG1GC -Xms512m -XX:-UseCompactObjectHeaders -jar " + jar + " run\nMALLOC_ARENA_MAX=8\n");
    }

    @Test
    void options_set_in_the_jvms_own_variables_are_left_out_of_the_launchers_too() throws Exception {
        // given the launcher and its jar, and a Java 25
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        Path jar = Files.writeString(folder.resolve("pictor.jar"), "");
        Path java = fakeJava(dir.resolve("jdk25"), "25.0.3");
        String path = java.getParent().toString();
        String tail = " -jar " + jar + " run\n";
        String limit = " -XX:ErgoHeapSizeLimit=256m";
        // then a collector in JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS or _JAVA_OPTIONS replaces the parallel one
        assertThat(launch(launcher, Map.of("PATH", path, "JDK_JAVA_OPTIONS", "-XX:+UseG1GC"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -Xms16m" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -Xms16m" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "_JAVA_OPTIONS", "-XX:+UseZGC"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -Xms16m" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        // and their own first heap, or a largest heap under 16 MB, replaces our -Xms16m; a larger one keeps it
        assertThat(launch(launcher, Map.of("PATH", path, "JDK_JAVA_OPTIONS", "-Xms64m"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -XX:+UseParallelGC" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_TOOL_OPTIONS", "-Xmx8m"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -XX:+UseParallelGC" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_OPTS", "-XX:MaxHeapSize=12m"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -XX:+UseParallelGC" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000"
                        + " -XX:MaxHeapSize=12m" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_TOOL_OPTIONS", "-Xmx1g"), "run").out())
                .isEqualTo("ran " + java + " " + MEMORY_25 + tail);
        // and their own limit of the heap the JVM picks replaces our 256 MB
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_TOOL_OPTIONS", "-XX:ErgoHeapSizeLimit=1g"), "run").out())
                .isEqualTo("ran " + java + " " + JIT + " -XX:+UseParallelGC -Xms16m -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000" + tail);
        // and so do their compact headers and native trim settings
        assertThat(launch(launcher, Map.of("PATH", path, "JDK_JAVA_OPTIONS",
                "-XX:-UseCompactObjectHeaders -XX:TrimNativeHeapInterval=0"), "run").out())
                .isEqualTo("ran " + java + " " + MEMORY + tail);
        // and their compiler settings replace our quick-compiler-only
        String memoryOnly = " -XX:+UseParallelGC -Xms16m" + limit + " -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000";
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4"), "run").out())
                .isEqualTo("ran " + java + memoryOnly + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JDK_JAVA_OPTIONS", "-XX:-TieredCompilation"), "run").out())
                .isEqualTo("ran " + java + memoryOnly + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "JAVA_OPTS", "-XX:+TieredCompilation"), "run").out())
                .isEqualTo("ran " + java + memoryOnly + " -XX:+TieredCompilation" + tail);
        assertThat(launch(launcher, Map.of("PATH", path, "_JAVA_OPTIONS", "-XX:CompilationMode=high-only"), "run").out())
                .isEqualTo("ran " + java + memoryOnly + tail);
    }

    @Test
    void the_real_jvm_starts_with_a_collector_or_a_small_heap_set_in_jdk_java_options_or_java_tool_options() throws Exception {
        // given this machine's own JDK, and a jar that says which collector it runs with
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        helloJar(folder.resolve("pictor.jar"), """
                System.out.println(java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName());""");
        String home = System.getProperty("java.home");
        // then G1 from JDK_JAVA_OPTIONS (no "Multiple garbage collectors selected")
        var run = launch(launcher, Map.of("JAVA_HOME", home, "JDK_JAVA_OPTIONS", "-XX:+UseG1GC"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("G1 ");
        // and the serial collector (its young generation is "Copy") from JAVA_TOOL_OPTIONS
        run = launch(launcher, Map.of("JAVA_HOME", home, "JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Copy\n");
        // and an 8 MB heap from JAVA_TOOL_OPTIONS (no "Initial heap size set to a larger value than the maximum")
        run = launch(launcher, Map.of("JAVA_HOME", home, "JAVA_TOOL_OPTIONS", "-Xmx8m"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches(PARALLEL + "\n");
    }

    @Test
    void the_real_jvm_accepts_the_memory_options_and_a_collector_of_the_admins_own() throws Exception {
        // given this machine's own JDK (24 GB here: the JVM alone would take a quarter of it, 6 GB, for its heap), and a
        // jar that says which collector it runs with, how many arenas, the highest compiler tier and the largest heap
        Path folder = Files.createDirectories(dir.resolve("deploy"));
        Path launcher = Files.copy(LAUNCHER, folder.resolve("pictor"));
        helloJar(folder.resolve("pictor.jar"), """
                var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                System.out.println(java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName()
                        + " " + System.getenv("MALLOC_ARENA_MAX") + " " + vm.getVMOption("TieredStopAtLevel").getValue()
                        + " " + Long.parseLong(vm.getVMOption("MaxHeapSize").getValue()) / (1024 * 1024) + "m");""");
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        // then it runs with the parallel collector (PS Scavenge and PS MarkSweep are its generations), two arenas,
        // the quick compiler only, and at most 256 MB of heap
        var run = launch(launcher, env, "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches(PARALLEL + " 2 1 256m\n");
        // and a smaller share, as a container's memory gives (here 50 % of 400 MB), counts when it is lower
        run = launch(launcher, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_TOOL_OPTIONS",
                "-XX:MaxRAM=400m -XX:MaxRAMPercentage=50"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches(PARALLEL + " 2 1 200m\n");
        // and the admin's own largest heap wins, larger or not
        run = launch(launcher, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xmx1g"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches(PARALLEL + " 2 1 1024m\n");
        // and with G1 when JAVA_OPTS asks for it
        run = launch(launcher, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-XX:+UseG1GC"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("G1 ");
        // and with both compilers when JAVA_TOOL_OPTIONS asks for them (ours, later on the command line, would win)
        run = launch(launcher, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4"), "run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches(PARALLEL + " 2 4 256m\n");
    }

    /** A runnable jar whose main prints "hello from pictor.jar [its arguments]". */
    private Path helloJar(Path jar) throws IOException {
        return helloJar(jar, "System.out.println(\"hello from pictor.jar \" + java.util.Arrays.toString(args));");
    }

    /** A runnable jar whose main is {@code body}. */
    private Path helloJar(Path jar, String body) throws IOException {
        Path src = Files.createDirectories(dir.resolve("hello-src")), classes = Files.createDirectories(dir.resolve("hello-classes"));
        Path source = Files.writeString(src.resolve("Hello.java"), """
                public class Hello {
                    public static void main(String[] args) {
                        %s
                    }
                }
                """.formatted(body));
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(compiled).isZero();
        var manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Hello");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("Hello.class"));
            out.write(Files.readAllBytes(classes.resolve("Hello.class")));
            out.closeEntry();
        }
        return jar;
    }
}
