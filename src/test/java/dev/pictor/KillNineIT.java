package dev.pictor;

import dev.pictor.telegram.fake.FakeTelegram;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the real jar at each stage of a job, then a restart on the same database. Per job: it ends in a
 * terminal state, charged − refunded = delivered, the chat holds what the ledger says was posted, and the member is
 * told the truth once. Run by {@code ./mvnw verify} (failsafe) after {@code package} has built the jar.
 */
class KillNineIT {
    static final User MIA = new User(4343, "Mia", "mia");
    static final Chat MIA_DM = Chat.privateWith(MIA);

    @TempDir
    Path dir;
    JarRig rig;

    @BeforeEach
    void fakes() throws Exception {
        rig = new JarRig(dir);
    }

    @AfterEach
    void stop() {
        var violations = rig.telegram.violations();
        rig.close();
        assertThat(violations).as("calls that break the Bot API spec").isEmpty();
    }

    @Test
    void killedBeforeTheGatewayAnswers_theRestartRefundsTheJob_andTellsMiaOnce() throws Exception {
        rig.startReady();
        rig.telegram.says(MIA_DM, MIA, "/imagine a slow snail");
        assertThat(rig.slowArrived.await(JarRig.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        rig.kill();
        rig.startReady();

        JarRig.Job job = awaitTerminal();
        assertThat(job).extracting(JarRig.Job::status, JarRig.Job::delivered, JarRig.Job::charged, JarRig.Job::refunded,
                JarRig.Job::errorClass).containsExactly("failed", 0, 1, 1, "interrupted");
        assertToldOnce("a slow snail", "Nothing was charged");
        assertThat(photos()).isEmpty();
    }

    @Test
    void killedWhileItsPhotoIsBeingUploaded_theRestartRefundsIt_andTellsMiaOnce() throws Exception {
        rig.startReady();
        FakeTelegram.Hold upload = rig.telegram.holdNext("sendPhoto");
        rig.telegram.says(MIA_DM, MIA, "/imagine a red fox");
        assertThat(upload.awaitArrival(JarRig.PATIENCE)).as("the photo upload began").isTrue();

        rig.kill();
        upload.drop(); // the upload dies with the process: Telegram never got the photo
        rig.startReady();

        JarRig.Job job = awaitTerminal();
        assertThat(job).extracting(JarRig.Job::status, JarRig.Job::delivered, JarRig.Job::charged, JarRig.Job::refunded)
                .containsExactly("failed", 0, 1, 1);
        assertThat(job.postedMessages()).isEmpty();
        assertToldOnce("a red fox", "Nothing was charged");
        assertThat(photos()).isEmpty();
    }

    @Test
    void killedWhileAnAlbumWaitsForItsButtons_thePostedAlbumCounts_nothingOfItIsRefunded_andNobodyIsToldOtherwise()
            throws Exception {
        rig.startReady();
        FakeTelegram.Hold buttons = rig.telegram.holdNext("sendMessage");
        rig.telegram.says(MIA_DM, MIA, "/imagine three paper boats --n 3");
        assertThat(buttons.awaitArrival(JarRig.PATIENCE)).as("the buttons message was on its way").isTrue();
        List<Sent> album = photos();
        assertThat(album).hasSize(3);

        rig.kill();
        buttons.drop();
        rig.startReady();

        JarRig.Job job = awaitTerminal();
        // the album reached the chat and was recorded as it was confirmed: delivered, and nothing refunded
        assertThat(job).extracting(JarRig.Job::status, JarRig.Job::delivered, JarRig.Job::charged, JarRig.Job::refunded)
                .containsExactly("succeeded", 3, 3, 0);
        assertThat(job.postedMessages()).containsExactlyElementsOf(album.stream().map(m -> String.valueOf(m.messageId)).toList());
        // and Mia is not told that her images were not ready or that nothing was charged
        rig.await(() -> rig.allOutput().contains("repaired") ? true : null, "the restart repaired the job");
        assertThat(rig.telegram.botMessages(MIA_DM.id())).noneMatch(m -> m.kind.equals("text"));
    }

    private JarRig.Job awaitTerminal() {
        return rig.await(() -> {
            try {
                List<JarRig.Job> jobs = rig.jobs();
                return jobs.size() == 1 && !List.of("queued", "running").contains(jobs.getFirst().status()) ? jobs.getFirst() : null;
            } catch (java.sql.SQLException e) {
                return null; // the process may hold the write lock for a moment
            }
        }, "the job to be closed");
    }

    private List<Sent> photos() {
        return rig.telegram.botMessages(MIA_DM.id()).stream().filter(m -> m.kind.equals("photo")).toList();
    }

    /** Exactly one message tells Mia about the job with {@code prompt}, saying {@code truth}. */
    private void assertToldOnce(String prompt, String truth) {
        Sent told = rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text") && m.text.contains(prompt));
        assertThat(told.text).contains("pictor restarted").contains(truth);
        assertThat(rig.telegram.botMessages(MIA_DM.id())).filteredOn(m -> m.kind.equals("text") && m.text.contains(prompt)).hasSize(1);
    }
}
