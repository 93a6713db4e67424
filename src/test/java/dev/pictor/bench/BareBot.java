package dev.pictor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The yardstick of {@link StartupBench}, as a process of its own: a bare JDA bot that registers {@code /imagine},
 * defers each interaction and sends one followup, nothing else. Token and URLs from the environment
 * ({@code DISCORD_TOKEN}, {@code DISCORD_API_URL}, {@code DISCORD_GATEWAY_URL}); runs until killed.
 *
 * <p>With {@code BARE_PROVIDER=1} it makes the provider call pictor makes instead of the followup, as a bare bot
 * would write it: after the defer, an asynchronous OkHttp POST of the prompt to
 * {@code AIMLAPI_BASE_URL/v1/images/generations}, the answer read as a JSON tree, its first {@code b64_json} decoded
 * and put into the reply as a file. No quota, no ledger, no retries.
 */
public final class BareBot {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String gateway = System.getenv("DISCORD_GATEWAY_URL");
        String provider = "1".equals(System.getenv("BARE_PROVIDER")) ? System.getenv("AIMLAPI_BASE_URL") : null;
        var dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(4096);
        dispatcher.setMaxRequestsPerHost(4096);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(Duration.ofSeconds(60)).build();
        JDA jda = JDABuilder.createLight(System.getenv("DISCORD_TOKEN"), List.of())
                .setRestConfig(new RestConfig().setBaseUrl(System.getenv("DISCORD_API_URL")))
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setCompression(Compression.NONE)
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
                        event.deferReply().queue();
                        if (provider == null) event.getHook().sendMessage("done").queue();
                        else generate(http, provider, event.getOption("prompt").getAsString(), event.getHook());
                    }
                })
                .build();
        jda.awaitReady();
        jda.updateCommands().addCommands(Commands.slash("imagine", "bare").addOption(OptionType.STRING, "prompt", "p", true))
                .complete();
    }

    private static void generate(OkHttpClient http, String provider, String prompt, InteractionHook hook) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("model", "imagen-4.0-generate-001", "prompt", prompt, "num_images", 1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var request = new Request.Builder().url(provider + "/v1/images/generations")
                .header("Authorization", "Bearer " + System.getenv("AIMLAPI_KEY"))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                    JsonNode answer = JSON.readTree(response.body().byteStream());
                    byte[] png = Base64.getDecoder().decode(answer.path("data").path(0).path("b64_json").asText());
                    hook.editOriginal("done").setFiles(FileUpload.fromData(png, "image.png")).queue();
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                hook.editOriginal("failed: " + e).queue();
            }
        });
    }
}
