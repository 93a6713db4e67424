package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ADMIN;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static dev.pictor.discord.fake.FakeDiscord.MOD;
import static org.assertj.core.api.Assertions.assertThat;

class DiscordAdminTest {
    static DiscordRig rig;
    static FakeDiscord fake;

    @BeforeAll
    static void startBot() throws InterruptedException {
        rig = DiscordRig.start(s -> s.withAdmins(List.of(MOD.idString())));
        fake = rig.fake;
        fake.awaitCommands("global");
    }

    @AfterAll
    static void stopBot() {
        rig.close();
    }

    @BeforeEach
    void reset() {
        rig.reset();
    }

    @AfterEach
    void everyCallMatchedTheSpec() {
        assertThat(fake.drainViolations()).isEmpty();
    }

    @Test
    void whenTheBotStarts_thenPictorIsDeclaredForServersOnly_andShownOnlyToMembersWithManageServer() {
        JsonNode pictor = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("pictor")) pictor = c;

        assertThat(pictor).isNotNull();
        assertThat(pictor.path("default_member_permissions").asText()).isEqualTo("32");
        assertThat(pictor.path("contexts").toString()).isEqualTo("[0]");
        assertThat(pictor.path("options").findValuesAsText("name"))
                .contains("plan", "grant", "reset", "block", "unblock", "pool");
    }

    @Test
    void givenAMemberWithoutManageServer_whenTheyTryAnAdminCommand_thenOnlyTheyAreRefused_andNothingChanges() {
        FakeInteraction i = fake.subcommand(ALICE, "pictor", "grant", options("member", ALICE, "images", 100));

        assertThat(i.awaitAck().ephemeral()).isTrue();
        assertThat(i.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");
        assertThat(rig.admin.operations).isEmpty();
    }

    @Test
    void givenAMemberWithManageServer_whenGrant_thenTheOperationIsDoneInTheirName_andTheyAreTold() {
        FakeInteraction i = fake.subcommand(ADMIN, "pictor", "grant", options("member", BOB, "images", 10));

        assertThat(i.awaitPrivateAnswer().content()).isEqualTo("Done: grant discord:" + BOB.idString() + " 10.");
        assertThat(rig.admin.operations).containsExactly("grant discord:" + ADMIN.idString() + " discord:" + BOB.idString() + " 10");
    }

    @Test
    void givenAnAdminByProfile_whenPlanDefault_thenTheMembersOwnPlanIsRemoved() {
        FakeInteraction i = fake.subcommand(MOD, "pictor", "plan", options("member", BOB, "plan", "default"));

        i.awaitPrivateAnswer();
        assertThat(rig.admin.operations).containsExactly("plan discord:" + MOD.idString() + " discord:" + BOB.idString());
    }

    @Test
    void givenAnAdmin_whenPool_thenThisServersPoolIsSetFromTheLimitsTyped() {
        fake.subcommand(ADMIN, "pictor", "pool", options("limits", "300/1d, 40/1h")).awaitPrivateAnswer();
        fake.subcommand(ADMIN, "pictor", "block", options("member", BOB, "reason", "spam")).awaitPrivateAnswer();

        assertThat(rig.admin.operations).containsExactly(
                "pool discord:" + ADMIN.idString() + " discord:" + FakeDiscord.GUILD_ID + " [300/1d, 40/1h]",
                "block discord:" + ADMIN.idString() + " discord:" + BOB.idString() + " spam");
    }

    @Test
    void poolLimitsReadOffAndDefault() {
        assertThat(AdminCommand.poolLimits("off")).isEmpty();
        assertThat(AdminCommand.poolLimits("default")).isNull();
        assertThat(AdminCommand.poolLimits("300/1d; 40/1h")).containsExactly("300/1d", "40/1h");
    }
}
