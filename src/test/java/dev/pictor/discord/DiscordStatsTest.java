package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ADMIN;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BEA;
import static dev.pictor.discord.fake.FakeDiscord.MOD;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /pictor stats}: a server's admins read their own server's figures off the ledger, pictor's admins the bot's. */
class DiscordStatsTest {
    @TempDir
    static Path dir;
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(
            () -> DiscordRig.startWithSqliteLedger(dir, s -> s.withAdmins(List.of(MOD.idString()))), r -> {
                rig = r;
                fake = r.fake;
            });
    private static boolean jobsMade;

    /** Alice makes an image in the test server, Bea one in her own (second) server; both are in the ledger. */
    private static synchronized void oneJobInEachServer() {
        if (jobsMade) return;
        FakeMessage inFirst = fake.slash(ALICE, "imagine", options("prompt", "a lighthouse at dawn")).awaitImages();
        FakeMessage inSecond = fake.slashInSecondGuild(BEA, "imagine", options("prompt", "a fox in the snow")).awaitImages();
        rig.awaitClosed(inFirst);
        rig.awaitClosed(inSecond);
        jobsMade = true;
    }

    @Test
    void whenTheBotStarts_thenPictorHasAStatsSubcommand() {
        JsonNode pictor = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("pictor")) pictor = c;

        assertThat(pictor.path("options").findValuesAsText("name")).contains("stats");
    }

    @Test
    void givenAServersAdmin_whenStats_thenTheyGetOnlyTheirServersFigures_privately() {
        oneJobInEachServer();

        FakeInteraction i = fake.subcommand(ADMIN, "pictor", "stats", options());

        assertThat(i.awaitAck().ephemeral()).isTrue();
        String figures = i.awaitPrivateAnswer().content();
        assertThat(figures).startsWith("Figures from ").contains("(cost in USD)", "Per day:", "Top members:", "By model:",
                "By provider:", "• discord:" + ALICE.idString() + ": 1 job, 1 image, 0 failed", "• imagen-4: 1 job", "• aiml: 1 job");
        // the other server's job is not theirs to see, whatever they send
        assertThat(figures).doesNotContain(BEA.idString()).doesNotContain("2 jobs");
        assertThat(figures.length()).isLessThanOrEqualTo(DiscordText.MAX_CONTENT);
    }

    @Test
    void givenTheSecondServersOwner_whenStatsThere_thenTheyGetOnlyTheirServersFigures() {
        oneJobInEachServer();

        String figures = fake.subcommandInSecondGuild(BEA, "pictor", "stats", options()).awaitPrivateAnswer().content();

        assertThat(figures).contains("• discord:" + BEA.idString() + ": 1 job").doesNotContain(ALICE.idString());
    }

    @Test
    void givenAMemberWithoutManageServer_whenStats_thenTheyGetOnlyARefusal() {
        oneJobInEachServer();

        FakeInteraction i = fake.subcommand(ALICE, "pictor", "stats", options());

        assertThat(i.awaitAck().ephemeral()).isTrue();
        String answer = i.awaitPrivateAnswer().content();
        assertThat(answer).contains("Only members with the Manage Server permission").doesNotContain("Figures", ALICE.idString());
    }

    @Test
    void givenAnAdminByProfile_whenStats_thenTheySeeTheWholeBot_bothServersJobs() {
        oneJobInEachServer();

        String figures = fake.subcommand(MOD, "pictor", "stats", options()).awaitPrivateAnswer().content();

        assertThat(figures).contains("• discord:" + ALICE.idString() + ": 1 job", "• discord:" + BEA.idString() + ": 1 job",
                "• imagen-4: 2 jobs, 2 images, 0 failed", "• aiml: 2 jobs");
    }
}
