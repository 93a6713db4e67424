package dev.pictor.quota;

import dev.pictor.core.Platform;

import dev.pictor.core.ImagineRequest;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobRecord;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.store.ChargeJournal;
import dev.pictor.store.Database;
import dev.pictor.store.SqliteJobLedger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The second process of the cross-process tests, started by them with the test classpath:
 * <ul>
 *   <li>{@code hammer URL GO_FILE ATTEMPTS CLOCK_MILLIS}: waits for GO_FILE, then charges one image ATTEMPTS times
 *   for the same member, and prints how many were granted;</li>
 *   <li>{@code crash URL CLOCK_MILLIS}: opens a job, charges it 2 images, marks it running, and dies without closing
 *   anything ({@code Runtime.halt}).</li>
 * </ul>
 */
public final class OtherProcess {
    static final QuotaSettings SETTINGS = new QuotaSettings(Map.of("bulk", List.of("1000/1d")), "bulk", Map.of());
    static final Requester HAMMERED = new Requester(Platform.DISCORD, "hammer", "hammer", null, null, null);

    private OtherProcess() {
    }

    public static void main(String[] args) throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(args[args.length - 1])), ZoneOffset.UTC);
        Database db = Database.open(args[1]);
        switch (args[0]) {
            case "hammer" -> {
                var quota = new BucketQuota(db, SETTINGS, clock, ChargeJournal.NONE);
                quota.view(HAMMERED); // warm up before the start line
                System.out.println("ready");
                System.out.flush();
                Path go = Path.of(args[2]);
                while (!Files.exists(go)) Thread.sleep(1);
                int granted = 0;
                for (int i = 0, n = Integer.parseInt(args[3]); i < n; i++) {
                    if (quota.charge(HAMMERED, 1) instanceof QuotaDecision.Granted) granted++;
                }
                System.out.println("granted " + granted);
                db.close();
            }
            case "crash" -> {
                var ledger = new SqliteJobLedger(db, QuotaFixtures.catalog(), clock);
                var quota = new BucketQuota(db, SETTINGS, clock, ledger);
                var request = new ImagineRequest(HAMMERED, "a lighthouse", QuotaFixtures.catalog().defaultModel(), "1:1", 2, null, true);
                ledger.opened(new JobRecord("crashed-job", request, clock.instant()));
                quota.charge("crashed-job", HAMMERED, 2);
                ledger.started("crashed-job", clock.instant());
                System.out.println("charged");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
