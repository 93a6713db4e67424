package dev.pictor.cli;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.telegram.fake.FakeTelegram;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check --online} against the fakes: Telegram's {@code getMe}, Discord's {@code users/@me}, and each gateway's
 * free probe (AI/ML API's balance, an OpenAI-compatible model list) tell which key or token is refused, by name of
 * its variable, and never print one.
 */
class CheckOnlineTest {
    static final String AIML_KEY = "aiml-online-key-1234567890";
    static final String TURBO_KEY = "turbo-online-key-0987654321";

    @TempDir
    Path dir;
    FakeTelegram telegram;
    FakeDiscord discord;
    final MockWebServer provider = new MockWebServer();
    final List<RecordedRequest> probes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fakes() throws Exception {
        telegram = new FakeTelegram();
        discord = FakeDiscord.start();
        provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                probes.add(request);
                String auth = request.getHeaders().get("Authorization");
                String path = request.getUrl().encodedPath();
                if (path.equals("/v1/billing/balance") && ("Bearer " + AIML_KEY).equals(auth)) {
                    return json(200, "{\"balance\":10000000,\"lowBalance\":false,\"lowBalanceThreshold\":10000,"
                            + "\"lastUpdated\":\"2025-11-25T17:45:00Z\",\"autoDebitStatus\":\"disabled\",\"status\":\"current\","
                            + "\"statusExplanation\":\"Balance is current and up to date\"}");
                }
                if (path.equals("/v1/models") && ("Bearer " + TURBO_KEY).equals(auth)) {
                    return json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"imagen-3.0-generate-002\",\"object\":\"model\"}]}");
                }
                return json(401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\"}}");
            }
        });
        provider.start();
        String base = provider.url("/").toString().replaceAll("/$", "");
        Files.writeString(dir.resolve("pictor.yaml"), """
                providers:
                  aimlapi: {dialect: aimlapi, base-url: "%1$s", api-key: "${AIMLAPI_KEY}"}
                  theturbo: {dialect: openai, base-url: "%1$s", api-key: "${THETURBO_API_KEY}"}
                models:
                  imagen-3:
                    routes: [{provider: aimlapi, model: imagen-3.0-generate-002}, {provider: theturbo, model: imagen-3.0-generate-002}]
                quota:
                  plans: {free: ["3/1m"]}
                """.formatted(base));
        Path bots = Files.createDirectories(dir.resolve("bots"));
        Files.writeString(bots.resolve("telegram.yaml"), "platform: telegram\ntoken: ${TELEGRAM_TOKEN}\napi-url: " + telegram.url() + "\n");
        Files.writeString(bots.resolve("discord.yaml"), "platform: discord\ntoken: ${DISCORD_TOKEN}\napi-url: " + discord.apiUrl()
                + "\ngateway-url: " + discord.gatewayUrl() + "\n");
    }

    @AfterEach
    void close() {
        provider.close();
        telegram.close();
        discord.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private CliRun check(Map<String, String> env, String... more) {
        var args = new java.util.ArrayList<>(List.of("check", "--config", dir.resolve("pictor.yaml").toString(),
                "--bots", dir.resolve("bots").toString()));
        args.addAll(List.of(more));
        return CliRun.of(env, args.toArray(String[]::new));
    }

    private Map<String, String> env(String aimlKey, String turboKey, String telegramToken) {
        var env = new HashMap<String, String>();
        env.put("AIMLAPI_KEY", aimlKey);
        env.put("THETURBO_API_KEY", turboKey);
        env.put("TELEGRAM_TOKEN", telegramToken);
        env.put("DISCORD_TOKEN", FakeDiscord.TOKEN);
        return env;
    }

    @Test
    void every_key_and_token_that_its_service_takes_is_ok_and_nothing_is_generated() {
        var run = check(env(AIML_KEY, TURBO_KEY, FakeTelegram.TOKEN), "--online");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("online (4 checks, nothing charged)")
                .contains("ok      provider aimlapi: the api-key is accepted (GET /v1/billing/balance: 200)")
                .contains("ok      provider theturbo: the api-key is accepted (GET /v1/models: 200)")
                .contains("ok      bot telegram (telegram): Telegram accepts the token: the bot is @" + FakeTelegram.BOT_USERNAME)
                .contains("ok      bot discord (discord): Discord accepts the token: the bot is pictor (application id " + FakeDiscord.APP_ID + ")")
                .contains("online: every key and token was accepted.");
        assertThat(probes).noneMatch(r -> r.getUrl().encodedPath().contains("images"));
        assertThat(telegram.violations()).isEmpty();
        assertThat(discord.violations()).isEmpty();
    }

    @Test
    void a_refused_key_and_a_refused_token_are_named_by_their_variables_never_printed_and_check_fails() {
        String wrongTurbo = "turbo-revoked-key-5555555555";
        String wrongTelegram = "123456:revoked-telegram-token-abcdef";
        var run = check(env(AIML_KEY, wrongTurbo, wrongTelegram), "--online");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.out()).contains("FAILED  provider theturbo: theturbo refused the api-key (HTTP 401): check THETURBO_API_KEY")
                .contains("FAILED  bot telegram (telegram): Telegram refused the token (HTTP 401): check TELEGRAM_TOKEN")
                .contains("ok      provider aimlapi")
                .contains("online: 2 of 4 failed.");
        assertThat(run.out() + run.err()).doesNotContain(wrongTurbo).doesNotContain(wrongTelegram)
                .doesNotContain(AIML_KEY).doesNotContain(FakeDiscord.TOKEN);
    }

    @Test
    void without_online_check_calls_nothing() {
        var run = check(env(AIML_KEY, TURBO_KEY, FakeTelegram.TOKEN));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("online");
        assertThat(probes).isEmpty();
        assertThat(telegram.calls("getMe")).isEmpty();
    }
}
