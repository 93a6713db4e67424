package dev.pictor.discord;

import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.quota.BucketQuota;
import dev.pictor.quota.QuotaSettings;
import dev.pictor.quota.SpendCaps;
import dev.pictor.quota.SpendSettings;
import dev.pictor.store.Database;
import dev.pictor.store.SqliteJobLedger;
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

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-fencing on Discord (#12, #15): while Alice's job waits at the gateway, another process on the same database
 * claims this one's lease and repairs the job (it refunds it and tells her). When the gateway then answers, this
 * process posts nothing, and the deferred reply that still said pictor was working on it is withdrawn instead of
 * showing "generating…" until its token runs out.
 */
class DiscordFencingTest {
    @TempDir
    static Path dir;
    static DiscordRig rig;
    static FakeDiscord fake;
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.startWithSqliteLedger(dir), r -> {
        rig = r;
        fake = r.fake;
    });

    @Test
    void givenAJobAnotherProcessRepairedWhileTheGatewayWorked_whenTheGatewayAnswers_thenNothingIsPostedAndTheWaitingReplyIsWithdrawn()
            throws Exception {
        // given Alice's job held at the gateway, past the moment its reply says "Generating…"
        var asked = new CountDownLatch(1);
        var answer = new CountDownLatch(1);
        rig.gateway.behave(call -> {
            asked.countDown();
            if (!answer.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never let go");
            return AimlApiFake.pictures(call.count(), call.prompt());
        });
        FakeInteraction alice = fake.slash(ALICE, "imagine", options("prompt", "a heron in fog"));
        assertThat(alice.awaitAck().type()).isEqualTo(5);
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        alice.awaitOriginal(m -> m.content().startsWith("🎨"), "the Generating… edit");
        String a = ((SqliteJobLedger) rig.ledger).leases().self();

        // when process B, on the same database, takes A for gone, claims its lease and repairs the job
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("pictor.db"))) {
            var b = new SqliteJobLedger(db, rig.catalog, Clock.systemUTC(), "host-b/200/2/-", owner -> !owner.equals(a));
            b.leases().register();
            var quota = new BucketQuota(db, QuotaSettings.of(Map.of("free", List.of("100/1d")), "free"), Clock.systemUTC(), b);
            var spend = new SpendCaps(db, new SpendSettings("USD", null, null, null, true), Clock.systemUTC(),
                    SpendCaps.Warnings.NONE);
            assertThat(b.repairInterrupted(quota, spend)).hasSize(1);
            b.leases().leave();
        }
        // and then the gateway answers A
        answer.countDown();

        // then A withdraws the reply, and no image reaches the channel
        alice.awaitOriginalDeleted();
        assertThat(alice.original().attachments()).isEmpty();
        assertThat(alice.followups()).isEmpty();
        assertThat(fake.drainViolations()).isEmpty();
    }
}
