package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.JobView;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static dev.pictor.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** A process stopped mid-job: at the next start the SQLite ledger repairs the job and the bot tells its member. */
class DiscordRestartTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    @TempDir
    static Path dir;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.startWithSqliteLedger(dir), r -> {
        rig = r;
        fake = r.fake;
    })
            .withoutAwaitingCommands()
            .withoutResets()
            .withoutSpecChecks();

    private static void leftRunning(String jobId, FakeDiscord.User who, String botProfile, String prompt) {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2)); // older than any job runs: its process is gone
        var request = new ImagineRequest(new Requester(Platform.DISCORD, who.idString(), who.name(),
                Long.toString(FakeDiscord.GUILD_ID), botProfile, null), prompt, DiscordRig.IMAGEN, "1:1", 1, null, true);
        rig.ledger.opened(new JobRecord(jobId, request, twoHoursAgo));
        rig.ledger.started(jobId, twoHoursAgo);
    }

    @Test
    void givenAJobAStoppedProcessLeftUnfinished_whenTheBotStartsAgain_thenItsMemberIsToldByDirectMessage()
            throws InterruptedException {
        leftRunning("crashed-1", ALICE, "test-bot", "a half-drawn *map*");
        leftRunning("crashed-2", BOB, "another-bot", "not this bot's job");

        rig.restartBot();

        FakeMessage dm = fake.await(() -> fake.directMessagesTo(ALICE).stream().findFirst().orElse(null), "a DM to alice");
        assertThat(dm.content()).contains("pictor restarted", "a half-drawn \\*map\\*", "Nothing was charged", "/imagine");
        assertThat(rig.ledger.find("crashed-1")).get().extracting(JobView::status).isEqualTo(JobStatus.FAILED);
        fake.settle(Duration.ofMillis(200));
        assertThat(fake.directMessagesTo(BOB)).isEmpty();
        assertThat(fake.drainViolations()).isEmpty();
    }
}
