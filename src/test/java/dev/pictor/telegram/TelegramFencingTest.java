package dev.pictor.telegram;

import dev.pictor.core.JobStatus;
import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobView;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.store.Database;
import dev.pictor.store.SqliteJobLedger;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.AimlApiFake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-fencing end to end (#12): process A's job waits at the provider while another process, B, on the same
 * database, claims A's lease and repairs the job (refunds it, tells the member); when A's provider then answers, A
 * posts nothing, records no second end and says nothing more: the member hears once, from B, and pays nothing.
 */
class TelegramFencingTest {
    static final User ALICE = new User(101, "Alice", "alice");
    static final Chat ALICE_DM = Chat.privateWith(ALICE);
    static final Map<String, List<String>> PLANS = Map.of("basic", List.of("3/1m", "25/1d"));

    @TempDir
    Path dir;
    TelegramHarness h;
    @RegisterExtension
    final TelegramSpecCheck spec = new TelegramSpecCheck(() -> h);

    @Test
    void a_job_repaired_by_another_process_while_its_provider_worked_posts_nothing_and_its_member_hears_once()
            throws Exception {
        // given process A (the harness) on an SQLite file, whose provider holds Alice's job until the test lets it go
        h = TelegramHarness.withSqlite(dir, PLANS, "basic", List.of("50/1d")).start();
        var asked = new CountDownLatch(1);
        var answer = new CountDownLatch(1);
        h.provider.behave(call -> {
            asked.countDown();
            if (!answer.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never let go");
            return AimlApiFake.pictures(call.count(), call.prompt());
        });
        h.telegram.says(ALICE_DM, ALICE, "/imagine a heron in fog");
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        var aLedger = (SqliteJobLedger) h.ledgerPort();
        String a = aLedger.leases().self();

        // when process B starts on the same database, takes A for gone, claims A's lease and repairs its open job,
        // and B's bot (the same profile) tells Alice
        List<JobView> repaired;
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            var b = new SqliteJobLedger(db, h.catalog, Clock.systemUTC(), "host-b/200/2/-", owner -> !owner.equals(a));
            b.leases().register();
            var quota = new BucketQuota(db, new QuotaSettings(PLANS, "basic",
                    Map.of(TelegramHarness.PROFILE, new QuotaSettings.ProfileQuota(List.of("50/1d"), null))), Clock.systemUTC(), b);
            var spend = new SpendCaps(db, new SpendSettings("USD", null, null, null, true), Clock.systemUTC(),
                    SpendCaps.Warnings.NONE);
            repaired = b.repairInterrupted(quota, spend);
            b.leases().leave();
        }
        assertThat(repaired).singleElement().extracting(JobView::status).isEqualTo(JobStatus.FAILED);
        TelegramBot bBot = h.newBot();
        bBot.tellInterrupted(repaired);
        h.telegram.awaitBotMessage(ALICE_DM.id(), m -> m.kind.equals("text") && m.text.contains("a heron in fog"));

        // and then A's provider answers with the image
        answer.countDown();
        TelegramHarness.await(() -> h.provider.calls.size(), 1, "provider calls");
        TelegramHarness.await(() -> h.generation().running() == 0 ? 1 : 0, 1, "A's job to end");

        // then no image reaches Alice's chat: the one message from pictor is B's notice
        List<Sent> fromBot = h.telegram.botMessages(ALICE_DM.id());
        assertThat(fromBot).extracting(m -> m.kind).containsOnly("text");
        assertThat(fromBot).hasSize(1);
        assertThat(fromBot.getFirst().text).contains("a heron in fog", "Nothing was charged");
        // and the job stays as B closed it, charged nothing: her quota and the day's spend are whole
        String jobId = repaired.getFirst().id();
        assertThat(h.ledgerPort().find(jobId).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(aLedger.tokens(jobId)).containsExactly(1, 1);
        var alice = new Requester(Platform.TELEGRAM, String.valueOf(ALICE.id()), "Alice", null, TelegramHarness.PROFILE, null);
        assertThat(h.quotaPort().view(alice).limits()).extracting(l -> l.remaining()).containsExactly(3L, 25L);
        assertThat(h.state().spend().spentToday(alice)).isEqualByComparingTo("0");
        bBot.close();
    }
}
