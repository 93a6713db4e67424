package dev.pictor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.testing.TestImages;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pictor imagine} end to end, through picocli, the configuration, the core and the real providers, against a
 * local fake provider that answers with the providers' documented bodies: files are written and their paths printed.
 */
class ImagineCommandTest {
    static final String AIML_KEY = "sk-aiml-test-0123456789abcdef";
    static final String TURBO_KEY = "sk-turbo-test-9876543210fedcba";
    static final Map<String, String> ENV = Map.of("AIMLAPI_KEY", AIML_KEY, "THETURBO_API_KEY", TURBO_KEY);

    @TempDir
    Path dir;
    final MockWebServer provider = new MockWebServer();
    final List<RecordedRequest> generations = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<MockResponse> answers = new ConcurrentLinkedQueue<>();
    final byte[] png = TestImages.png(64, 48);
    Path config;
    Path out;

    @BeforeEach
    void startFakeGatewayAndWriteConfig() throws IOException {
        provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getUrl().encodedPath().endsWith("/images/generations")) {
                    generations.add(request);
                    MockResponse next = answers.poll();
                    return next != null ? next : json(503, "{\"error\":\"overloaded\"}");
                }
                if (request.getUrl().encodedPath().endsWith(".png")) {
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png").body(new Buffer().write(png)).build();
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
        provider.start();
        String base = provider.url("/").toString().replaceAll("/$", "");
        config = Files.writeString(dir.resolve("pictor.yaml"), """
                storage: {url: "jdbc:sqlite:%2$s"}
                providers:
                  aimlapi: {dialect: aimlapi, base-url: "%1$s", api-key: "${AIMLAPI_KEY}", timeout: 5s}
                  theturbo: {dialect: openai, base-url: "%1$s", api-key: "${THETURBO_API_KEY}", timeout: 5s}
                models:
                  imagen-3:
                    aspect-ratios: ["1:1", "9:16", "16:9", "3:4", "4:3"]
                    max-images: 4
                    seed: true
                    max-prompt-chars: 400
                    enhance: true
                    routes: [{provider: aimlapi, model: imagen-3.0-generate-002}]
                  imagen-3-fast:
                    aspect-ratios: ["1:1", "16:9"]
                    max-images: 4
                    routes: [{provider: theturbo, model: imagen-3.0-fast-generate-001}]
                default-model: imagen-3
                quota:
                  plans: {free: ["3/1m", "25/1d"]}
                fetch: {allow-private: ["127.0.0.1"]}
                retry: {attempts: 2, backoff: 1ms, max-backoff: 10ms}
                """.formatted(base, dir.resolve("pictor.db")));
        out = dir.resolve("out");
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** A documented answer from test resources, with the fake as the image host and a real PNG as base64. */
    private String documented(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/providers/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${BASE_URL}", provider.url("/").toString().replaceAll("/$", ""))
                    .replace("${PNG_BASE64}", Base64.getEncoder().encodeToString(png));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(RecordedRequest r) throws IOException {
        return new ObjectMapper().readValue(r.getBody().utf8(), Map.class);
    }

    private List<Path> files() throws IOException {
        if (!Files.exists(out)) return List.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.sorted().toList();
        }
    }

    private CliRun imagine(String... args) {
        var all = Stream.concat(Stream.of("imagine"), Stream.concat(Stream.of(args),
                Stream.of("--config", config.toString(), "--out", out.toString()))).toArray(String[]::new);
        return CliRun.of(ENV, all);
    }

    @Test
    void flags_inside_the_quoted_prompt_reach_the_gateway_and_the_image_is_written_and_its_path_printed() throws Exception {
        // given the AIML API page's documented answer: a URL to download
        answers.add(json(200, documented("aimlapi-imagen-3.0-generate-002.json")));
        // when
        var run = imagine("Racoon eating ice-cream --ar 16:9 --seed 42", "--user", "ann");
        // then the provider got the parsed request
        assertThat(run.exitCode()).as(run.err()).isZero();
        RecordedRequest request = generations.getFirst();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + AIML_KEY);
        assertThat(body(request)).containsEntry("prompt", "Racoon eating ice-cream").containsEntry("aspect_ratio", "16:9")
                .containsEntry("seed", 42).containsEntry("num_images", 1).containsEntry("model", "imagen-3.0-generate-002");
        // and one file holds the downloaded image; stdout names it and the job
        List<Path> files = files();
        assertThat(files).hasSize(1);
        Path file = files.getFirst();
        assertThat(Files.readAllBytes(file)).isEqualTo(png);
        String jobId = file.getFileName().toString().replace("-1.png", "");
        assertThat(jobId).matches("[0-9a-z]{16}");
        assertThat(run.out().lines().toList()).containsExactly(file.toString(), "job " + jobId);
        assertThat(run.err()).contains("job " + jobId + ": succeeded, 1 of 1 via aimlapi").contains("revised prompt: A playful raccoon");
        assertThat(run.out() + run.err()).doesNotContain(AIML_KEY);
    }

    @Test
    void flags_after_the_prompt_work_too_and_every_image_gets_its_own_numbered_file() throws Exception {
        // given TheTurbo's documented answer: two base64 images
        answers.add(json(200, documented("theturbo-google-imagen.json")));
        // when the flags follow the quoted prompt as separate arguments
        var run = imagine("a red fox in fresh snow", "--ar", "16:9", "--n", "2", "--model", "imagen-3-fast");
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(body(generations.getFirst())).containsEntry("prompt", "a red fox in fresh snow")
                .containsEntry("n", 2).containsEntry("aspect_ratio", "16:9").containsEntry("model", "imagen-3.0-fast-generate-001");
        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString()).hasSize(2)
                .allMatch(n -> n.matches("[0-9a-z]{16}-[12]\\.png"));
        for (Path f : files) assertThat(Files.readAllBytes(f)).isEqualTo(png);
        assertThat(run.out().lines().limit(2).toList()).containsExactlyElementsOf(files.stream().map(Path::toString).toList());
        assertThat(run.out() + run.err()).doesNotContain(TURBO_KEY);
    }

    @Test
    void an_operator_whose_terminal_speaks_german_reads_pictors_words_in_german_and_c_means_english() throws Exception {
        var all = new String[]{"imagine", "a fox", "--ar", "7:9", "--config", config.toString(), "--out", out.toString()};
        var german = new java.util.HashMap<>(ENV);
        german.put("LANG", "de_DE.UTF-8");
        var run = CliRun.of(german, all);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("imagen-3 macht keine Bilder im Format 7:9. Wähl eins davon:");
        // LC_ALL wins over LANG, and C (or a language pictor does not ship) is English
        german.put("LC_ALL", "C");
        assertThat(CliRun.of(german, all).err()).contains("imagen-3 does not make 7:9 images.");
        german.put("LC_ALL", "ko_KR.UTF-8");
        assertThat(CliRun.of(german, all).err()).contains("imagen-3 does not make 7:9 images.");
        assertThat(generations).isEmpty();
    }

    @Test
    void a_request_the_model_cannot_serve_is_a_usage_mistake_with_the_members_sentence_and_no_gateway_call() throws Exception {
        var run = imagine("a fox", "--ar", "7:9");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("imagen-3 does not make 7:9 images. Choose one of: 1:1, 9:16, 16:9, 3:4, 4:3.");
        assertThat(run.out()).isEmpty();
        assertThat(generations).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void asking_for_more_than_the_plan_allows_is_refused_by_the_quota_before_the_gateway() throws Exception {
        // given the free plan's 3/1m limit
        var run = imagine("a fox --n 4");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("Your plan allows at most 3 images per minute; ask for 3 or fewer.");
        assertThat(generations).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void a_providers_rate_is_kept_in_the_database_so_a_second_run_within_the_minute_finds_no_turn_and_calls_nothing()
            throws Exception {
        // given a plan of one call a minute at AI/ML API, and no waiting for a turn
        Files.writeString(config, Files.readString(config).replace(
                "api-key: \"${AIMLAPI_KEY}\", timeout: 5s}", "api-key: \"${AIMLAPI_KEY}\", timeout: 5s, rate: 1/1m, rate-wait: 0s}"));
        answers.add(json(200, documented("aimlapi-imagen-3.0-generate-002.json")));
        answers.add(json(200, documented("aimlapi-imagen-3.0-generate-002.json")));
        assertThat(imagine("a lighthouse at dusk", "--user", "ann").exitCode()).isZero();

        // when another process on the same database asks within the minute
        var second = imagine("a lighthouse at dawn", "--user", "bob");

        // then it found the turn taken: no call, nothing charged, the member told the provider cannot serve now
        assertThat(second.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(generations).hasSize(1);
        assertThat(second.err()).contains("The image service for imagen-3 is not answering right now. Nothing was charged");
        assertThat(files()).hasSize(1);
    }

    @Test
    void a_gateway_that_says_when_to_come_back_ends_in_a_sentence_that_says_when() throws Exception {
        // given the only route answers 429 with a Retry-After longer than the retry waits (max-backoff 10ms)
        answers.add(new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "120").body("{\"error\":\"rate limited\"}").build());
        var run = imagine("a lighthouse at dusk");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(generations).as("no retry within 10ms could honour it").hasSize(1);
        assertThat(run.err()).contains("The image service for imagen-3 is not answering right now. Nothing was charged."
                + " Try again in 2 min.").doesNotContain("a few minutes");
    }

    @Test
    void a_gateway_that_keeps_failing_ends_in_the_members_sentence_and_no_file() throws Exception {
        // given the provider answers 503 every time (the dispatcher's default)
        var run = imagine("a lighthouse at dusk");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(generations).hasSize(2); // two attempts on the only route
        // and the progress named the provider and each attempt
        assertThat(run.err()).containsPattern("generating · aimlapi · attempt 1 · \\d+ s")
                .contains("aimlapi attempt 1 failed: transient-503")
                .containsPattern("generating · aimlapi · attempt 2 · \\d+ s");
        assertThat(run.err()).contains("The image service for imagen-3 is not answering right now. Nothing was charged")
                .contains("imagine: aimlapi: HTTP 503");
        assertThat(run.out()).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void the_same_user_asking_more_often_than_the_plan_allows_is_refused_with_the_refill_time_across_runs() throws Exception {
        // given three documented answers, and the free plan's 3 images per minute
        for (int i = 0; i < 3; i++) answers.add(json(200, documented("aimlapi-imagen-3.0-generate-002.json")));
        for (int i = 0; i < 3; i++) assertThat(imagine("a fox", "--user", "zoe").exitCode()).isZero();
        // when zoe asks a fourth time, in a new run (the quota is kept in the database)
        var run = imagine("a fox", "--user", "zoe");
        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).containsPattern("You have used your 3 images for this minute; the next one comes back in \\d+ s\\.");
        assertThat(generations).hasSize(3);
        assertThat(imagine("a fox", "--user", "someone-else").exitCode()).isEqualTo(ExitCodes.REFUSED); // 503: no answers left
        assertThat(generations).hasSize(5);
    }

    @Test
    void a_run_whose_gateway_fails_charges_nothing() throws Exception {
        // given the provider answers 503 every time
        assertThat(imagine("a lighthouse --n 3", "--user", "yan").exitCode()).isEqualTo(ExitCodes.REFUSED);
        // then yan's allowance is whole
        Path noBots = Files.createDirectories(dir.resolve("bots"));
        var show = CliRun.of(ENV, "quota", "show", "cli:yan", "--config", config.toString(), "--bots", noBots.toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("• 3 per minute: all 3 left").contains("• 25 per day: all 25 left");
    }

    @Test
    void an_unknown_flag_is_the_core_parsers_refusal_and_a_usage_mistake() {
        var run = imagine("a fox", "--colour", "red");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("I don't know the option \"--colour\".");
        assertThat(generations).isEmpty();
    }

    @Test
    void with_only_a_key_for_another_gateway_the_default_model_is_refused_naming_the_key_and_a_model_that_works() throws Exception {
        // given only TheTurbo's key: the default imagen-3 goes only through aimlapi here, imagen-3-fast through theturbo
        var all = new String[]{"imagine", "a fox", "--config", config.toString(), "--out", out.toString()};
        // when
        var run = CliRun.of(Map.of("THETURBO_API_KEY", TURBO_KEY), all);
        // then nothing is opened or charged, and the operator reads what to set or which model to name
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("imagine: imagen-3 goes only through aimlapi (set AIMLAPI_KEY), disabled for want of an api-key;"
                + " with the keys set now these work: imagen-3-fast (e.g. --model imagen-3-fast, or set default-model).");
        assertThat(run.err()).doesNotContain("job ");
        assertThat(generations).isEmpty();
        assertThat(run.err()).doesNotContain(TURBO_KEY);
    }

    @Test
    void with_only_a_lumenfall_key_the_shipped_default_model_is_refused_naming_imagen_3_and_the_variable_of_the_default()
            throws Exception {
        // given the shipped configuration (default imagen-4, AI/ML API only) and only a Lumenfall key
        Path shipped = Files.writeString(dir.resolve("shipped.yaml"), Files.readString(Path.of("config/pictor.yaml"))
                .replace("jdbc:sqlite:data/pictor.db", "jdbc:sqlite:" + dir.resolve("shipped.db")));
        // when
        var run = CliRun.of(Map.of("LUMENFALL_API_KEY", "lf-test-key"), "imagine", "a fox", "--config", shipped.toString(),
                "--out", out.toString());
        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("imagine: imagen-4 goes only through aimlapi (set AIMLAPI_KEY), disabled for want of an api-key;"
                + " with the keys set now these work: imagen-3, gemini-2.5-flash-image (e.g. --model imagen-3, or set default-model (PICTOR_DEFAULT_MODEL)).");
        // and check says the same about the default model
        var check = CliRun.of(Map.of("LUMENFALL_API_KEY", "lf-test-key"), "check", "--config", shipped.toString(), "--bots", "bots");
        assertThat(check.out()).contains("warning: default-model imagen-4 has no enabled provider, so every request that names no model"
                + " will be refused; with the keys set now these work: imagen-3, gemini-2.5-flash-image (set default-model (PICTOR_DEFAULT_MODEL) to one of them)");
    }

    @Test
    void an_out_folder_that_cannot_be_written_is_refused_before_the_gateway_is_paid() throws Exception {
        // given --out names a path under a file, and one that is a file (no folder can be made there, even by root)
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        answers.add(json(200, documented("aimlapi-imagen-3.0-generate-002.json")));
        for (Path bad : List.of(file.resolve("pics"), file)) {
            // when
            var run = CliRun.of(ENV, "imagine", "a fox", "--config", config.toString(), "--out", bad.toString());
            // then
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("imagine: cannot write images into " + bad + " (--out): ")
                    .contains("Nothing was generated or charged.");
            assertThat(generations).isEmpty();
        }
        assertThat(CliRun.of(ENV, "imagine", "a fox", "--config", config.toString(), "--out", file.toString()).err())
                .contains("it is a file, not a folder");
        // and a folder that can be written still works, and leaves no probe file behind
        var ok = imagine("a fox");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(files()).hasSize(1);
    }

    @Test
    void a_gateway_that_refuses_the_key_tells_the_operator_which_variable_to_check_not_to_try_again_later() throws Exception {
        // given AI/ML API answers 401 with its documented "Invalid API key" body
        answers.add(json(401, "{\"statusCode\":401,\"message\":\"Invalid API key\"}"));
        // when
        var run = imagine("a lighthouse at dusk");
        // then one call (a refused key is not retried), and the sentence says what to fix
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(generations).hasSize(1);
        assertThat(run.err()).contains("imagine: aimlapi refused the api-key (HTTP 401): check AIMLAPI_KEY")
                .contains("Nothing was charged.")
                .doesNotContain("not answering right now").doesNotContain("try again in a few minutes")
                .doesNotContain(AIML_KEY);
    }

    @Test
    void a_broken_configuration_is_named_and_nothing_runs() throws Exception {
        Files.writeString(config, Files.readString(config).replace("default-model: imagen-3", "default-model: imagen-9"));
        var run = imagine("a fox");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.err()).contains(config + ": default-model: unknown model \"imagen-9\"");
        assertThat(generations).isEmpty();
    }
}
