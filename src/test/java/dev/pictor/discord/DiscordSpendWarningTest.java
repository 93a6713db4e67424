package dev.pictor.discord;

import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.Platform;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.chat.AdminNotices;
import dev.pictor.core.chat.ChatServices;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.provider.HttpClients;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;
import dev.pictor.provider.Providers;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendSettings;
import dev.pictor.quota.SqliteState;
import dev.pictor.store.AdminChatTable;
import dev.pictor.testing.AimlApiFake;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ADMIN;
import static dev.pictor.discord.fake.FakeDiscord.ADMIN_CHANNEL_ID;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static dev.pictor.discord.fake.FakeDiscord.CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 80 % warning of a server's daily spend cap, end to end: the Discord adapter on the real SQLite quota, ledger and
 * caps and the real AIML API provider, against the fake Discord and a fake AIML API. The server's admins read it once a
 * day in the channel where they last ran {@code /pictor} successfully (else only logged),
 * in the server's language; a member's refused {@code /pictor} never moves it. An image costs 0.04 USD here.
 */
class DiscordSpendWarningTest {
    static final ModelSpec PRICED = new ModelSpec("imagen-4", "Imagen 4",
            new ModelCapabilities(List.of("1:1"), 4, true, 400, true), List.of(new Route("aiml", "imagen-4.0-generate-001", 0.04)));

    @TempDir
    Path dir;
    FakeDiscord fake;
    final AimlApiFake gateway = AimlApiFake.withImageUrls();
    final OkHttpClient http = HttpClients.create();
    final dev.pictor.provider.ProviderClient providerHttp = HttpClients.forProviders();
    final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    final ModelCatalog catalog = new ModelCatalog(List.of(PRICED), "imagen-4");
    /** How often the caps told the core that the server passed 80 % (once per community per day). */
    final AtomicInteger passed = new AtomicInteger();
    SqliteState state;
    DiscordBot bot;

    void start(SpendSettings.Caps caps) throws Exception {
        fake = FakeDiscord.start();
        var told = new AtomicReference<>(AdminNotices.NONE);
        state = SqliteState.open("jdbc:sqlite:" + dir.resolve("pictor.db"), null, null, catalog,
                QuotaSettings.of(Map.of("free", List.of("100/1d")), "free"), new SpendSettings("USD", caps, Map.of(), ZoneOffset.UTC, true),
                w -> {
                    passed.incrementAndGet();
                    told.get().capPassed(w);
                }, Clock.systemUTC());
        var aiml = new ProviderSettings("aiml", "aimlapi", gateway.baseUrl(), "test-aiml-key", Duration.ofSeconds(10), 8, null, Map.of());
        var generation = TestPipeline.pipeline().quota(state.quota()).spend(state.spend()).ledger(state.ledger())
                .provider(Providers.create(aiml, providerHttp), 8)
                .fetcher(new HttpImageFetcher(http, HttpImageFetcher.DEFAULT_MAX_BYTES, List.of("127.0.0.1")))
                .executor(jobs).build();
        var languages = new LanguageChoice(Map.of(), state.quota().languages());
        // as the composition root wires it, but posting on the job's own thread, so that the post is queued first
        var notices = new AdminNotices(new AdminChatTable(state.database(), Clock.systemUTC()), languages, Runnable::run,
                generation::chatOf);
        told.set(notices);
        var services = new ChatServices(generation, new OptionParser(), new RequestValidator(catalog, List.of()), catalog,
                state.quota(), state.ledger(), state.quota(), null, Clock.systemUTC(), new SplittableRandom(7), languages,
                null, notices);
        bot = new DiscordBot(DiscordBotSettings.of("test-bot", FakeDiscord.TOKEN)
                .withEndpoints(fake.apiUrl(), fake.gatewayUrl(), false), services).start();
        bot.awaitReady(DiscordRig.READY_WITHIN);
        notices.poster(Platform.DISCORD, "test-bot", bot::post);
        fake.awaitCommands("global");
    }

    @AfterEach
    void close() {
        try {
            if (fake != null) assertThat(fake.drainViolations()).as("calls that break Discord's spec").isEmpty();
        } finally {
            if (bot != null) bot.close();
            jobs.shutdown();
            if (state != null) state.close();
            if (fake != null) fake.close();
            gateway.close();
            HttpClients.close(http);
            providerHttp.shutdownNow();
        }
    }

    private String admin(long channel, String sub, Object... options) {
        return fake.subcommandIn(channel, ADMIN, "pictor", sub, options(options)).awaitPrivateAnswer().content();
    }

    private FakeMessage awaitWarningIn(long channel) {
        return fake.await(() -> fake.channelMessages(channel).stream().findFirst().orElse(null), "the spend warning in " + channel);
    }

    @Test
    void theJobThatPassesEightyPercent_warnsTheAdminsOnce_inTheChannelOfTheirLastCommand_inTheServersLanguage() throws Exception {
        start(null);
        // given the server's admin chose German and a cap of 0.20 USD a day, from #pictor-admin
        admin(ADMIN_CHANNEL_ID, "language", "language", "de");
        assertThat(admin(ADMIN_CHANNEL_ID, "spendcap", "cap", "0.20")).contains("0.20 USD"); // the admin reads their own language

        // when Alice's four images (0.16 USD, 80 % of the cap) are made in #general
        fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dawn", "count", 4)).awaitImages();

        // then the admins read the warning in #pictor-admin, in German, naming the cap, the spend and the reset
        FakeMessage warning = awaitWarningIn(ADMIN_CHANNEL_ID);
        assertThat(warning.content()).startsWith("Hinweis für die Admins dieses Servers")
                .contains("0,16 USD", "0,20 USD", "zurücksetzt");
        assertThat(passed).hasValue(1);

        // and Alice's next image the same day (0.20 USD, within the cap) warns nobody again
        fake.slash(ALICE, "imagine", options("prompt", "a second lighthouse")).awaitImages();
        assertThat(passed).hasValue(1);
        assertThat(fake.channelMessages(ADMIN_CHANNEL_ID)).hasSize(1);
        assertThat(fake.channelMessages(CHANNEL_ID)).as("nothing about money in the members' channel").isEmpty();
    }

    @Test
    void aMembersRefusedPictorCommand_movesTheAdminsChannelNowhere() throws Exception {
        start(null);
        admin(ADMIN_CHANNEL_ID, "spendcap", "cap", "0.20");
        // when Alice (no Manage Server) sends /pictor spendcap in #general, and the admin a bot-wide change there
        String alices = fake.subcommand(ALICE, "pictor", "spendcap", options("cap", "1000")).awaitPrivateAnswer().content();
        assertThat(alices).contains("Only members with the Manage Server permission");
        String botWide = fake.subcommand(ADMIN, "pictor", "grant", options("member", BOB, "images", 5)).awaitPrivateAnswer().content();
        assertThat(botWide).isNotEmpty();

        fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dawn", "count", 4)).awaitImages();

        // then the warning still goes to #pictor-admin, in English
        assertThat(awaitWarningIn(ADMIN_CHANNEL_ID).content()).startsWith("Heads-up for this server's admins")
                .contains("spent 0.16 USD today", "daily spend cap of 0.20 USD");
        assertThat(fake.channelMessages(CHANNEL_ID)).isEmpty();
    }

    @Test
    void withNoPictorCommandYet_theWarningIsOnlyLogged_notPostedInTheMembersChannel() throws Exception {
        // given a cap of 0.20 USD for every server from the configuration, and no /pictor ever
        start(new SpendSettings.Caps(null, new BigDecimal("0.20"), null));

        fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dawn", "count", 4)).awaitImages();

        // then the caps passed 80 % (log and metric), but the server's spend is not posted where its members read
        for (int i = 0; i < 200 && passed.get() == 0; i++) Thread.sleep(10);
        assertThat(passed).hasValue(1);
        // and after a second job (time for a post to have arrived), nothing about money in a channel
        fake.slash(ALICE, "imagine", options("prompt", "a second lighthouse")).awaitImages();
        assertThat(fake.channelMessages(CHANNEL_ID)).isEmpty();
        assertThat(fake.channelMessages(ADMIN_CHANNEL_ID)).isEmpty();
    }
}
