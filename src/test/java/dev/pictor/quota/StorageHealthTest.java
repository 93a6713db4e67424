package dev.pictor.quota;

import java.util.Locale;
import dev.pictor.core.Refusal;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.store.StorageHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /healthz}'s storage check against a real SQLite file: it tells the truth about the write path (a lock held
 * by another writer, an immutable file, a deleted folder, a replaced file) within about a second of asking, and a
 * database file that is gone stops the charging of new jobs. Times are never asserted tightly: each check is polled
 * until a generous deadline.
 */
class StorageHealthTest {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Path data;
    Path file;
    SqliteState state;

    @BeforeEach
    void open() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        file = data.resolve("pictor.db");
        state = SqliteState.open("jdbc:sqlite:" + file, QuotaFixtures.catalog(), QuotaFixtures.settings(), Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        chattr("-i", file); // in case a test left it immutable
        state.close();
    }

    @Test
    void aDatabaseThatTakesWrites_isUp() {
        StorageHealth.Status status = state.health();

        assertThat(status.up()).as(String.valueOf(status.reason())).isTrue();
    }

    @Test
    void anotherConnectionHoldingTheWriteLock_makesStorageDown_andUpAgainOnceReleased() throws Exception {
        // given another process holds the write lock
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            other.createStatement().execute("BEGIN IMMEDIATE");
            other.createStatement().execute("UPDATE health SET probed_by = 'other' WHERE id = 1");

            // then asking /healthz answers (never waits the 10 s busy timeout), and says down with the reason
            StorageHealth.Status down = awaitStatus(s -> !s.up());
            assertThat(down.reason()).contains("write lock");
            other.createStatement().execute("ROLLBACK");
        }
        // and once the lock is released it is up again
        awaitStatus(StorageHealth.Status::up);
    }

    @Test
    void anImmutableDatabaseFile_makesStorageDown_sayingItIsReadOnly() throws Exception {
        assumeTrue(chattr("+i", file), "chattr +i needs an ext4-like file system and CAP_LINUX_IMMUTABLE");

        StorageHealth.Status down = awaitStatus(s -> !s.up());

        assertThat(down.reason()).contains("read-only");
        chattr("-i", file);
        awaitStatus(StorageHealth.Status::up);
    }

    @Test
    void aDeletedDataFolder_makesStorageDown_forGood_andNewChargesAreRefusedWithoutChargingAnything() throws Exception {
        // when the data folder is deleted under the running process
        deleteRecursively(data);

        // then storage is down, saying the file is gone
        StorageHealth.Status down = awaitStatus(s -> !s.up());
        assertThat(down.reason()).contains("is gone").contains(file.toString());
        // and a member's next request is refused with the sentence they will read, nothing charged
        QuotaDecision decision = state.quota().charge(member("zoe"), 1);
        assertThat(decision).isInstanceOf(QuotaDecision.Denied.class);
        Refusal refusal = ((QuotaDecision.Denied) decision).refusal();
        assertThat(refusal.reason()).isEqualTo(Refusal.Reason.STORAGE_DOWN);
        assertThat(refusal.message(Locale.ENGLISH)).startsWith("pictor cannot record jobs right now").contains("nothing was charged");
        // and a new empty database at the same path does not make it up again: what was recorded is not in it
        Files.createDirectories(data);
        try (Connection fresh = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            fresh.createStatement().execute("CREATE TABLE health (id INTEGER PRIMARY KEY, probed_at INTEGER, probed_by TEXT)");
        }
        assertThat(state.health().up()).isFalse();
    }

    @Test
    void aDatabaseFileReplacedByAnother_makesStorageDown_sayingSo() throws Exception {
        Path copy = dir.resolve("other.db");
        Files.copy(file, copy);
        Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        StorageHealth.Status down = awaitStatus(s -> !s.up());

        assertThat(down.reason()).contains("was replaced by another file");
    }

    /** Asks for the status until it matches; each answer must come back within about a second. */
    private StorageHealth.Status awaitStatus(Predicate<StorageHealth.Status> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        StorageHealth.Status last = null;
        while (System.nanoTime() < deadline) {
            last = state.health();
            if (wanted.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("storage never reached the wanted state within " + DEADLINE + "; last: " + last);
    }

    private static boolean chattr(String flag, Path file) throws InterruptedException {
        if (!Files.exists(file)) return false;
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false; // no chattr here
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
