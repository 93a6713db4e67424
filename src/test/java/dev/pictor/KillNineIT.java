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
    void killedRightAfterUpdatesArrive_everyRequestIsAnsweredExactlyOnceAfterTheRestart() throws Exception {
        rig.startReady();
        // the bot is polling, and /help is answered and recorded as done
        rig.telegram.says(MIA_DM, MIA, "/help");
        rig.telegram.awaitBotMessage(MIA_DM.id(), m -> m.kind.equals("text"));
        rig.await(() -> inbox().equals(List.of("1:done")) ? true : null, "/help marked done in the inbox");
        // when 20 requests from 10 members arrive, are recorded and confirmed (the poll after them), and the bot is
        // killed that moment: their jobs stuck at the gateway, or not even started
        FakeTelegram.Hold next = rig.telegram.holdNext("getUpdates");
        record Ask(Chat chat, int messageId, String prompt) {
        }
        var asks = new java.util.ArrayList<Ask>();
        for (int i = 1; i <= 20; i++) {
            var member = new User(5000 + i % 10, "Member " + i % 10, null);
            var chat = Chat.privateWith(member);
            String prompt = "slow boat number " + i;
            asks.add(new Ask(chat, rig.telegram.says(chat, member, "/imagine " + prompt), prompt));
        }
        assertThat(next.awaitArrival(JarRig.PATIENCE)).as("the bot polled after the first of them").isTrue();
        FakeTelegram.Hold confirming = rig.telegram.holdNext("getUpdates");
        next.release(); // answers with the rest of the 20
        assertThat(confirming.awaitArrival(JarRig.PATIENCE.multipliedBy(3))).as(() -> "the bot confirmed them all; its log:\n" + rig.allOutput()).isTrue();
        rig.kill();
        List<String> recorded = inbox();
        confirming.drop();
        rig.releaseSlow();
        rig.startReady();

        // then each request gets exactly one answer: its picture, or (for a job cut off at the gateway) the notice
        // that nothing was charged; none is lost, none runs twice
        for (Ask ask : asks) {
            var answers = rig.await(() -> {
                var found = rig.telegram.botMessages(ask.chat().id()).stream().filter(m -> (m.kind.equals("photo")
                        && m.replyTo != null && m.replyTo == ask.messageId())
                        || (m.kind.equals("text") && m.text.contains("\"" + ask.prompt() + "\""))).toList();
                return found.isEmpty() ? null : found;
            }, "an answer to " + ask);
            assertThat(answers).as("answers to " + ask).hasSize(1);
        }
        // and the ledger agrees: one job per request, every job terminal, charged − refunded = delivered
        List<JarRig.Job> jobs = rig.await(() -> {
            try {
                var all = rig.jobs();
                return all.size() == 20 && all.stream().noneMatch(j -> List.of("queued", "running").contains(j.status())) ? all : null;
            } catch (java.sql.SQLException e) {
                return null;
            }
        }, "every job closed");
        assertThat(jobs).extracting(JarRig.Job::prompt).doesNotHaveDuplicates();
        assertThat(jobs).allSatisfy(j -> assertThat(j.charged() - j.refunded()).as(j.toString()).isEqualTo(j.delivered()));
        int photos = asks.stream().map(Ask::chat).distinct()
                .mapToInt(c -> (int) rig.telegram.botMessages(c.id()).stream().filter(m -> m.kind.equals("photo")).count()).sum();
        assertThat(jobs.stream().mapToInt(JarRig.Job::delivered).sum()).isEqualTo(photos);
        assertThat(rig.telegram.botMessages(MIA_DM.id())).as("/help answered once").hasSize(1);
        assertThat(recorded).as("the 20 were recorded before they were confirmed").hasSize(21);
        System.out.println("KillNineIT: at the kill the inbox held " + recorded + "; " + jobs.stream().filter(j -> j.delivered() == 0).count()
                + " job(s) repaired and refunded, " + photos + " made after the restart; restart log: "
                + rig.allOutput().lines().filter(l -> l.contains("did not handle") || l.contains("came again")
                || l.contains("repaired")).map(l -> l.replaceAll("^.*? - ", "")).toList());
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
