package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ADMIN;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BEA;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static dev.pictor.discord.fake.FakeDiscord.MOD;
import static org.assertj.core.api.Assertions.assertThat;

class DiscordAdminTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.start(s -> s.withAdmins(List.of(MOD.idString()))), r -> {
        rig = r;
        fake = r.fake;
    });

    @Test
    void whenTheBotStarts_thenPictorIsDeclaredForServersOnly_andShownOnlyToMembersWithManageServer() {
        JsonNode pictor = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("pictor")) pictor = c;

        assertThat(pictor).isNotNull();
        assertThat(pictor.path("default_member_permissions").asText()).isEqualTo("32");
        assertThat(pictor.path("contexts").toString()).isEqualTo("[0]");
        assertThat(pictor.path("options").findValuesAsText("name"))
                .contains("plan", "grant", "reset", "block", "unblock", "pool", "language", "spendcap");
    }

    @Test
    void givenAServersAdmin_whenLanguage_thenThisServersLanguageIsSet_pickedByItsOwnName_orBackToTheBots() {
        JsonNode pictor = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("pictor")) pictor = c;
        JsonNode language = null;
        for (JsonNode sub : pictor.path("options")) if (sub.path("name").asText().equals("language")) language = sub;
        assertThat(language.path("options").get(0).path("choices").findValuesAsText("name"))
                .containsExactly("English", "Español", "Deutsch", "Français", "Português (Brasil)", "Русский", "日本語", "default");
        assertThat(language.path("options").get(0).path("choices").findValuesAsText("value"))
                .containsExactly("en", "es", "de", "fr", "pt-BR", "ru", "ja", "default");

        fake.subcommand(ADMIN, "pictor", "language", options("language", "pt-BR")).awaitPrivateAnswer();
        fake.subcommand(ADMIN, "pictor", "language", options("language", "default")).awaitPrivateAnswer();

        assertThat(rig.admin.operations).containsExactly(
                "language discord:" + ADMIN.idString() + " discord:" + FakeDiscord.GUILD_ID + " pt-BR",
                "language discord:" + ADMIN.idString() + " discord:" + FakeDiscord.GUILD_ID);
    }

    @Test
    void givenAMemberWithoutManageServer_whenLanguage_thenRefused_andNothingChanges() {
        FakeInteraction i = fake.subcommand(ALICE, "pictor", "language", options("language", "de"));

        assertThat(i.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");
        assertThat(rig.admin.operations).isEmpty();
    }

    @Test
    void givenAMemberWithoutManageServer_whenTheyTryAnAdminCommand_thenOnlyTheyAreRefused_andNothingChanges() {
        FakeInteraction i = fake.subcommand(ALICE, "pictor", "grant", options("member", ALICE, "images", 100));

        assertThat(i.awaitAck().ephemeral()).isTrue();
        assertThat(i.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");
        assertThat(rig.admin.operations).isEmpty();
    }

    @Test
    void givenAServersAdmin_whenTheyTryABotWideChange_thenEachIsRefusedInASentence_andNothingChanges() {
        // ada has Manage Server in the test server: enough for its pool, not for what holds in every server
        var tries = List.of(
                fake.subcommand(ADMIN, "pictor", "grant", options("member", ADMIN, "images", 10_000)),
                fake.subcommand(ADMIN, "pictor", "block", options("member", BOB, "reason", "spam")),
                fake.subcommand(ADMIN, "pictor", "unblock", options("member", BOB)),
                fake.subcommand(ADMIN, "pictor", "plan", options("member", ADMIN, "plan", "supporter")),
                fake.subcommand(ADMIN, "pictor", "reset", options("member", ADMIN)));

        for (FakeInteraction i : tries) {
            assertThat(i.awaitAck().ephemeral()).isTrue();
            assertThat(i.awaitPrivateAnswer().content())
                    .isEqualTo(AdminCommand.BOT_WIDE_ONLY.english())
                    .contains("only pictor's own admins", "/pictor pool");
        }
        assertThat(rig.admin.operations).isEmpty();
    }

    @Test
    void givenAnAdminByProfile_whenGrantAndBlock_thenTheyAreDoneInTheirName_evenWithoutManageServer() {
        FakeInteraction grant = fake.subcommand(MOD, "pictor", "grant", options("member", BOB, "images", 10));
        FakeInteraction block = fake.subcommand(MOD, "pictor", "block", options("member", ALICE, "reason", "spam"));

        assertThat(grant.awaitPrivateAnswer().content()).isEqualTo("discord:" + BOB.idString() + " got 10 extra images (10 extra in all), used once their plan runs out.");
        block.awaitPrivateAnswer();
        assertThat(rig.admin.operations).containsExactlyInAnyOrder(
                "grant discord:" + MOD.idString() + " discord:" + BOB.idString() + " 10",
                "block discord:" + MOD.idString() + " discord:" + ALICE.idString() + " spam");
    }

    @Test
    void givenAnAdminByProfile_whenPlanDefault_thenTheMembersOwnPlanIsRemoved() {
        FakeInteraction i = fake.subcommand(MOD, "pictor", "plan", options("member", BOB, "plan", "default"));

        i.awaitPrivateAnswer();
        assertThat(rig.admin.operations).containsExactly("plan discord:" + MOD.idString() + " discord:" + BOB.idString());
    }

    @Test
    void givenAServersAdmin_whenPool_thenThisServersPoolIsSetFromTheLimitsTyped() {
        fake.subcommand(ADMIN, "pictor", "pool", options("limits", "300/1d, 40/1h")).awaitPrivateAnswer();

        assertThat(rig.admin.operations).containsExactly(
                "pool discord:" + ADMIN.idString() + " discord:" + FakeDiscord.GUILD_ID + " [300/1d, 40/1h]");
    }

    @Test
    void givenTwoServers_whenEachAdminSetsAPool_thenEachChangesOnlyTheirOwn_andNeitherCanTouchTheOthers() {
        // bea owns the second server and is a plain member of the test server; ada is the test server's admin only
        FakeInteraction beaAtHome = fake.subcommandInSecondGuild(BEA, "pictor", "pool", options("limits", "50/1d"));
        assertThat(beaAtHome.awaitPrivateAnswer().content()).isEqualTo("This server discord:" + FakeDiscord.GUILD2_ID + " now shares 50/1d.");

        FakeInteraction beaInA = fake.subcommand(BEA, "pictor", "pool", options("limits", "off"));
        FakeInteraction adaInB = fake.subcommandInSecondGuild(ADMIN, "pictor", "pool", options("limits", "off"));
        assertThat(beaInA.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");
        assertThat(adaInB.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");

        assertThat(rig.admin.operations).containsExactly(
                "pool discord:" + BEA.idString() + " discord:" + FakeDiscord.GUILD2_ID + " [50/1d]");
    }

    @Test
    void givenAnAdminByProfile_whenPoolInTheSecondServer_thenThatServersPoolIsSet() {
        fake.subcommandInSecondGuild(MOD, "pictor", "pool", options("limits", "default")).awaitPrivateAnswer();

        assertThat(rig.admin.operations).containsExactly(
                "pool discord:" + MOD.idString() + " discord:" + FakeDiscord.GUILD2_ID);
    }

    @Test
    void givenAServersAdmin_whenSpendcap_thenThisServersDailySpendCapIsSet_andTheyAreToldSo() {
        FakeInteraction i = fake.subcommand(ADMIN, "pictor", "spendcap", options("cap", "5"));

        assertThat(i.awaitAck().ephemeral()).isTrue();
        assertThat(i.awaitPrivateAnswer().content())
                .isEqualTo("This server discord:" + FakeDiscord.GUILD_ID + " now has a daily spend cap of 5.00 USD.");
        assertThat(rig.admin.operations).containsExactly(
                "spendcap discord:" + ADMIN.idString() + " discord:" + FakeDiscord.GUILD_ID + " 5");
    }

    @Test
    void givenTwoServers_whenAServersAdminSetsASpendcapElsewhere_thenOnlyTheirOwnServerCanBeChanged() {
        // bea owns the second server only; ada is the test server's admin only; a member without Manage Server nothing
        FakeInteraction beaAtHome = fake.subcommandInSecondGuild(BEA, "pictor", "spendcap", options("cap", "off"));
        assertThat(beaAtHome.awaitPrivateAnswer().content()).isEqualTo("This server discord:" + FakeDiscord.GUILD2_ID + " has no daily spend cap now.");

        FakeInteraction beaInA = fake.subcommand(BEA, "pictor", "spendcap", options("cap", "1000"));
        FakeInteraction aliceInA = fake.subcommand(ALICE, "pictor", "spendcap", options("cap", "1000"));
        assertThat(beaInA.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");
        assertThat(aliceInA.awaitPrivateAnswer().content()).contains("Only members with the Manage Server permission");

        assertThat(rig.admin.operations).containsExactly(
                "spendcap discord:" + BEA.idString() + " discord:" + FakeDiscord.GUILD2_ID + " off");
    }

    @Test
    void theCommandsDescriptionsSayWhoMayUseWhat() {
        JsonNode pictor = null;
        for (JsonNode c : fake.awaitCommands("global")) if (c.path("name").asText().equals("pictor")) pictor = c;

        assertThat(pictor.path("description").asText()).contains("this server's pool and spend cap (Manage Server)", "pictor's admins");
        for (JsonNode sub : pictor.path("options")) {
            String name = sub.path("name").asText();
            assertThat(sub.path("description").asText()).as(name)
                    .contains(List.of("pool", "language", "spendcap").contains(name) ? "(Manage Server)" : "(pictor's admins only)");
        }
    }
}
