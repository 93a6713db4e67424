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

    @Test
    void killedRightAfterUpdatesAreConfirmed_beforeTheyAreHandled_theRestartRunsEachExactlyOnce() throws Exception {
        rig.startReady();
        rig.telegram.says(MIA_DM, MIA, "/help");
        rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text"));
        rig.await(() -> inbox().equals(List.of("1:done")) ? true : null, "/help marked done in the inbox");
        // given 10 members who each send /help and then two /imagine, and the bot's answers to the /help held by
        // Telegram: each chat's lane waits there, so its two /imagine are received but not handled
        var held = new java.util.ArrayList<FakeTelegram.Hold>();
        for (int i = 0; i < 10; i++) held.add(rig.telegram.holdNext("sendMessage"));
        record Ask(Chat chat, int messageId, String prompt) {
        }
        var asks = new java.util.ArrayList<Ask>();
        for (int i = 1; i <= 10; i++) {
            var member = new User(5000 + i, "Member " + i, null);
            var chat = Chat.privateWith(member);
            rig.telegram.says(chat, member, "/help");
            for (String which : List.of("a", "b")) {
                String prompt = "boat " + i + which;
                asks.add(new Ask(chat, rig.telegram.says(chat, member, "/imagine " + prompt), prompt));
            }
        }
        for (FakeTelegram.Hold h : held) assertThat(h.awaitArrival(JarRig.PATIENCE)).as("every chat's /help answer").isTrue();
        // when all 31 updates are recorded and Telegram has been told so (none left unconfirmed), pictor is killed
        rig.await(() -> inbox().size() == 31 && rig.telegram.unconfirmed() == 0 ? true : null, "31 recorded and confirmed");
        rig.kill();
        List<String> atTheKill = inbox();
        held.forEach(FakeTelegram.Hold::drop); // those answers died with the process
        assertThat(atTheKill.stream().filter(r -> r.endsWith(":open"))).as("received, confirmed, not handled").hasSize(30);
        assertThat(rig.prompts).as("no job reached the provider").isEmpty();

        // then after the restart (Telegram sends nothing again: all was confirmed) every request is answered once
        rig.startReady();
        for (Ask ask : asks) {
            var answers = rig.await(() -> {
                var found = rig.telegram.botMessages(ask.chat().id()).stream().filter(m -> m.kind.equals("photo")
                        && m.replyTo != null && m.replyTo == ask.messageId()).toList();
                return found.isEmpty() ? null : found;
            }, "the picture for " + ask);
            assertThat(answers).as("pictures for " + ask).hasSize(1);
            assertThat(answers.getFirst().caption).startsWith(ask.prompt());
        }
        for (Ask ask : asks) {
            assertThat(rig.telegram.botMessages(ask.chat().id()).stream().filter(m -> m.kind.equals("text")
                    && m.text.startsWith("/imagine <prompt>"))).as("/help answered once in " + ask.chat()).hasSize(1);
        }
        // and the ledger agrees: one job per request, each succeeded and charged once, the inbox all done
        List<JarRig.Job> jobs = rig.await(() -> {
            try {
                var all = rig.jobs();
                return all.size() == 20 && all.stream().allMatch(j -> j.status().equals("succeeded")) ? all : null;
            } catch (java.sql.SQLException e) {
                return null;
            }
        }, "20 jobs succeeded");
        assertThat(jobs).extracting(JarRig.Job::prompt).doesNotHaveDuplicates();
        assertThat(jobs).allSatisfy(j -> assertThat(j).extracting(JarRig.Job::charged, JarRig.Job::refunded, JarRig.Job::delivered)
                .containsExactly(1, 0, 1));
        assertThat(rig.prompts).hasSize(20);
        rig.await(() -> inbox().stream().allMatch(r -> r.endsWith(":done")) ? true : null, "every update done");
    }

    /** The Telegram inbox as {@code <update id>:done|open}. */
    private List<String> inbox() {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + rig.database());
             var rs = c.createStatement().executeQuery("SELECT update_id, done_at FROM telegram_inbox ORDER BY update_id")) {
            var rows = new java.util.ArrayList<String>();
            while (rs.next()) rows.add(rs.getLong(1) + ":" + (rs.getObject(2) == null ? "open" : "done"));
            return rows;
        } catch (java.sql.SQLException e) {
            return List.of(); // the running process may hold the lock for a moment
        }
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
