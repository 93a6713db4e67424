package dev.pictor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pictor.config.BotProfile;
import dev.pictor.config.LoadedConfig;
import dev.pictor.core.Platform;
import dev.pictor.config.ProviderConfig;
import dev.pictor.ops.Secrets;
import dev.pictor.provider.Providers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check --online}: asks each service whether it takes the configured secret, with calls that cost nothing —
 * Telegram's {@code getMe}, Discord's {@code GET /users/@me}, and each enabled provider's free probe
 * ({@link Providers#freeProbePath}) — and names what failed and the variable to check. Never prints a secret (nor a
 * URL holding one); every line also passes the log redactor.
 */
final class OnlineCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoadedConfig loaded;
    private final OkHttpClient http;

    OnlineCheck(LoadedConfig loaded) {
        this.loaded = loaded;
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(15))
                .callTimeout(Duration.ofSeconds(20)).retryOnConnectionFailure(false).followRedirects(false).build();
    }

    /** One verdict: what was checked, whether it passed, and the sentence. */
    record Result(String what, boolean ok, String sentence) {
    }

    /** Prints one line per check and returns how many failed. */
    int run(PrintWriter out) {
        loaded.bots().forEach(b -> Secrets.register(b.token()));
        loaded.config().providers().values().forEach(p -> Secrets.register(p.apiKey()));
        var results = new ArrayList<Result>();
        loaded.config().enabledProviders().forEach((name, p) -> results.add(provider(name, p)));
        for (BotProfile bot : loaded.bots()) if (bot.enabled()) results.add(bot.platform() == Platform.TELEGRAM ? telegram(bot) : discord(bot));
        out.println();
        out.println("online (" + results.size() + (results.size() == 1 ? " check" : " checks") + ", nothing charged)");
        for (Result r : results) out.println(Secrets.redact("  " + (r.ok() ? "ok    " : "FAILED") + "  " + r.what() + ": " + r.sentence()));
        if (results.isEmpty()) out.println("  nothing to check: no provider has an api-key and no bot a token");
        int failed = (int) results.stream().filter(r -> !r.ok()).count();
        out.println(failed == 0 ? "online: every key and token was accepted." : "online: " + failed + " of " + results.size() + " failed.");
        out.flush();
        dev.pictor.provider.HttpClients.close(http);
        return failed;
    }

    private Result provider(String name, ProviderConfig p) {
        String what = "provider " + name;
        String path = Providers.freeProbePath(p.dialect());
        var request = new Request.Builder().url(p.baseUrl() + path).get().header("Authorization", "Bearer " + p.apiKey())
                .header("Accept", "application/json").build();
        String var = variable(loaded.configFile().toString(), "providers." + name + ".api-key");
        try (Response r = http.newCall(request).execute()) {
            int code = r.code();
            if (r.isSuccessful()) return new Result(what, true, "the api-key is accepted (GET " + path + ": " + code + ")");
            return new Result(what, false, switch (code) {
                case 401 -> name + " refused the api-key (HTTP 401): check " + var;
                case 402 -> name + " says the account is out of credit (HTTP 402): top it up";
                case 403 -> name + " refused access with this api-key (HTTP 403): check " + var;
                case 404 -> "GET " + p.baseUrl() + path + " answered 404: check base-url (no /v1 at its end)";
                default -> "GET " + path + " answered HTTP " + code + "; try again later, or check base-url";
            });
        } catch (IOException e) {
            return new Result(what, false, unreachable(p.baseUrl(), e) + "; check base-url");
        }
    }

    private Result telegram(BotProfile bot) {
        String what = "bot " + bot.name() + " (telegram)";
        String var = variable(loaded.fileOf(bot), "token");
        var request = new Request.Builder().url(bot.apiUrl() + "/bot" + bot.token() + "/getMe").get().build();
        try (Response r = http.newCall(request).execute()) {
            JsonNode body = json(r);
            if (body == null || !body.has("ok")) {
                return new Result(what, false, "the server at " + bot.apiUrl() + " does not answer as the Telegram Bot API (HTTP "
                        + r.code() + "): check api-url (Telegram's is " + BotProfile.TELEGRAM_API_URL + ")");
            }
            if (body.path("ok").asBoolean()) {
                return new Result(what, true, "Telegram accepts the token: the bot is @" + body.path("result").path("username").asText());
            }
            int code = body.path("error_code").asInt(r.code());
            return new Result(what, false, code == 401 || code == 404
                    ? "Telegram refused the token (HTTP " + code + "): check " + var + " (BotFather's /token shows it)"
                    : "getMe answered " + code + " (" + body.path("description").asText() + ")");
        } catch (IOException e) {
            return new Result(what, false, unreachable(bot.apiUrl(), e) + "; check api-url");
        }
    }

    private Result discord(BotProfile bot) {
        String what = "bot " + bot.name() + " (discord)";
        String var = variable(loaded.fileOf(bot), "token");
        var request = new Request.Builder().url(bot.apiUrl() + "/users/@me").get().header("Authorization", "Bot " + bot.token())
                .header("User-Agent", "DiscordBot (https://github.com/pictor, 0.1.0)").build();
        try (Response r = http.newCall(request).execute()) {
            JsonNode body = json(r);
            if (r.isSuccessful() && body != null && body.has("id")) {
                return new Result(what, true, "Discord accepts the token: the bot is " + body.path("username").asText()
                        + " (application id " + body.path("id").asText() + ")");
            }
            if (r.code() == 401) return new Result(what, false, "Discord refused the token (HTTP 401): check " + var
                    + " (Developer Portal → Bot → Reset Token)");
            if (body == null) return new Result(what, false, "the server at " + bot.apiUrl()
                    + " does not answer as Discord's API (HTTP " + r.code() + "): check api-url (Discord's is " + BotProfile.DISCORD_API_URL + ")");
            return new Result(what, false, "GET /users/@me answered HTTP " + r.code());
        } catch (IOException e) {
            return new Result(what, false, unreachable(bot.apiUrl(), e) + "; check api-url");
        }
    }

    private static JsonNode json(Response r) throws IOException {
        try {
            JsonNode node = JSON.readTree(r.body().byteStream());
            return node != null && node.isObject() ? node : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String unreachable(String base, IOException e) {
        String why = e instanceof UnknownHostException ? "host not found" : e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException || e instanceof java.io.InterruptedIOException ? "no answer in time"
                : e.getClass().getSimpleName();
        return "could not reach " + base + " (" + why + ")";
    }

    private String variable(String file, String path) {
        List<String> vars = loaded.variablesAt(file, path);
        return vars.isEmpty() ? path + " in " + file : String.join(", ", vars);
    }
}
