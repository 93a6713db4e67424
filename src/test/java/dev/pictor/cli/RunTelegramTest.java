package dev.pictor.cli;

import dev.pictor.telegram.fake.FakeTelegram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pictor run} with the shipped configuration, the Telegram profile pointed at a fake Bot API. */
class RunTelegramTest {
    @TempDir
    Path dir;
    FakeTelegram telegram;

    @BeforeEach
    void fake() throws Exception {
        telegram = new FakeTelegram();
    }

    @AfterEach
    void close() {
        assertThat(telegram.violations()).isEmpty();
        telegram.close();
    }

    Map<String, String> env(String token) {
        var env = new HashMap<String, String>();
        env.put("PICTOR_STORAGE_URL", "jdbc:sqlite:" + dir.resolve("pictor.db"));
        env.put("PICTOR_HTTP_PORT", "0");
        env.put("TELEGRAM_API_URL", telegram.url().toString());
        if (token != null) env.put("TELEGRAM_TOKEN", token);
        return env;
    }

    @Test
    void aTelegramProfileWithItsTokenSet_starts_registersItsCommands_andStopsCleanly() {
        // when run starts with the shipped files and TELEGRAM_TOKEN set
        var run = CliRun.of(env(FakeTelegram.TOKEN), "run", "--stop-after-start");
        // then the bot is started, the commands are registered, and it stops in order
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("started telegram bot telegram (@" + FakeTelegram.BOT_USERNAME + ")")
                .contains("pictor run: stopped.").doesNotContain(FakeTelegram.TOKEN);
        // the menu once for everyone, then once per shipped language (Telegram's two-letter language_code)
        assertThat(telegram.calls("setMyCommands")).extracting(c -> c.param("language_code"))
                .containsExactly(null, "en", "es", "de", "fr", "pt", "ru", "ja");
    }

    @Test
    void inWebhookMode_runSetsTheWebhookWithTheSecret_neverShowsIt_andLeavesItSetAtTheStop() {
        // given the shipped Telegram profile switched to webhook mode through its variables
        var env = env(FakeTelegram.TOKEN);
        String secret = "run-test-Webhook_secret-0042";
        env.put("TELEGRAM_MODE", "webhook");
        env.put("TELEGRAM_WEBHOOK_URL", "https://bots.example.org/telegram/telegram");
        env.put("TELEGRAM_WEBHOOK_SECRET", secret);
        // when run starts and stops
        var run = CliRun.of(env, "run", "--stop-after-start");
        // then the bot set its webhook with the URL and the secret, said where, and never printed the secret
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("started telegram bot telegram (@" + FakeTelegram.BOT_USERNAME
                + ", updates by webhook at https://bots.example.org/telegram/telegram)").doesNotContain(secret);
        var set = telegram.calls("setWebhook");
        assertThat(set).singleElement().satisfies(c -> {
            assertThat(c.param("url")).isEqualTo("https://bots.example.org/telegram/telegram");
            assertThat(c.param("secret_token")).isEqualTo(secret);
        });
        // and the stop left the webhook set (another replica may serve it); nothing polled
        assertThat(telegram.calls("deleteWebhook")).isEmpty();
        assertThat(telegram.webhook()).isNotNull();
        assertThat(telegram.polls()).isZero();
    }

    @Test
    void inWebhookMode_aPlainHttpUrl_isRefusedBeforeAnythingStarts_namingTheFileAndKey() {
        var env = env(FakeTelegram.TOKEN);
        env.put("TELEGRAM_MODE", "webhook");
        env.put("TELEGRAM_WEBHOOK_URL", "http://bots.example.org/telegram/telegram");
        env.put("TELEGRAM_WEBHOOK_SECRET", "abcdefghij0123456789");
        var run = CliRun.of(env, "run", "--stop-after-start");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.err()).contains("telegram.yaml: webhook-url: must be an https URL");
        assertThat(telegram.calls("setWebhook")).isEmpty();
    }

    @Test
    void aTokenTelegramRefuses_stopsTheRun_namingTheVariable_neverTheToken() {
        String wrong = "123456:refused-by-telegram-token";
        var run = CliRun.of(env(wrong), "run", "--stop-after-start");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(run.err()).contains("bot telegram.yaml: Telegram refused the token; check TELEGRAM_TOKEN")
                .doesNotContain(wrong);
    }

    @Test
    void httpBindIsTheAddressTheEndpointsListenOn_anAddressOfNoInterfaceHereStopsTheRun_sayingWhich() {
        // given http.bind set (through the shipped file's PICTOR_HTTP_BIND) to an address this host does not have
        var env = env(FakeTelegram.TOKEN);
        env.put("PICTOR_HTTP_BIND", "203.0.113.7"); // TEST-NET-3: never a local address
        // when run starts
        var run = CliRun.of(env, "run", "--stop-after-start");
        // then it cannot listen there, says so with the key to change, and starts no bot
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(run.err()).contains("cannot serve /healthz and /metrics on 203.0.113.7 port 0")
                .contains("http.bind");
        assertThat(telegram.calls("setMyCommands")).isEmpty();
    }

    @Test
    void withNoTokenSet_nothingIsStarted_andRunSaysSo() {
        var run = CliRun.of(env(null), "run");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(run.err()).contains("nothing was started");
    }

    @Test
    void an_api_url_that_is_not_the_bot_api_is_named_as_such_not_as_a_null_pointer_or_a_bad_token() throws Exception {
        // given api-url pointing at servers that are not Telegram's: one answers JSON of its own, one a 404 page
        for (var answer : java.util.List.of(
                new mockwebserver3.MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("{\"hello\":\"world\"}").build(),
                new mockwebserver3.MockResponse.Builder().code(404).setHeader("Content-Type", "text/html").body("<html><h1>Not Found</h1></html>").build())) {
            try (var other = new mockwebserver3.MockWebServer()) {
                other.setDispatcher(new mockwebserver3.Dispatcher() {
                    @Override
                    public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                        return answer;
                    }
                });
                other.start();
                var env = env(FakeTelegram.TOKEN);
                String url = other.url("/").toString().replaceAll("/$", "");
                env.put("TELEGRAM_API_URL", url);
                // when
                var run = CliRun.of(env, "run", "--stop-after-start");
                // then
                assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
                assertThat(run.err()).contains("the server at " + url + " does not answer as the Telegram Bot API (getMe failed:")
                        .contains("check the profile's api-url (Telegram's is https://api.telegram.org)")
                        .doesNotContain("Check the token").doesNotContain("refused the token")
                        .doesNotContain(FakeTelegram.TOKEN);
                assertThat(other.getRequestCount()).as("getMe is not repeated against a server that is not the Bot API").isEqualTo(1);
            }
        }
    }
}
