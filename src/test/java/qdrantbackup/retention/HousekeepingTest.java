package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.TestBackups;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** Run summaries, done/ snapshots and pre-restore copies stay within their limits; reports and newest copies stay. */
class HousekeepingTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @TempDir
    Path dir;

    private Housekeeping housekeeping(LocalStore archive) {
        return new Housekeeping(
                new Housekeeping.Limits(
                        dir.resolve("state/runs"),
                        Duration.ofDays(90),
                        dir.resolve("inbox/done"),
                        Duration.ofDays(7),
                        archive,
                        Duration.ofDays(30)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void runSummariesOlderThanTheirDaysGo() throws IOException {
        Path old = file("state/runs/backup-old.json", Duration.ofDays(91));
        Path kept = file("state/runs/backup-new.json", Duration.ofDays(89));
        Path note = file("state/runs/README.txt", Duration.ofDays(400));

        housekeeping(new LocalStore(dir.resolve("archive"))).run();

        assertThat(old).doesNotExist();
        assertThat(kept).exists();
        assertThat(note).as("not a run summary").exists();
    }

    @Test
    void doneSnapshotsGoAfterTheirAgeButReportsAndRequestsStay() throws IOException {
        Path snapshot = file("inbox/done/p-1-2025-01-01-00-00-00.snapshot", Duration.ofDays(8));
        Path manifest = file("inbox/done/p-1-2025-01-01-00-00-00.snapshot.json", Duration.ofDays(8));
        Path again = file("inbox/done/p-1-2025-01-01-00-00-00.snapshot.2", Duration.ofDays(8));
        Path report = file("inbox/done/p-1-2025-01-01-00-00-00.snapshot.report.json", Duration.ofDays(8));
        Path request = file("inbox/done/r.restore.json", Duration.ofDays(8));
        Path fresh = file("inbox/done/p-1-2025-05-31-00-00-00.snapshot", Duration.ofDays(1));

        housekeeping(new LocalStore(dir.resolve("archive"))).run();

        assertThat(snapshot).doesNotExist();
        assertThat(manifest).doesNotExist();
        assertThat(again).doesNotExist();
        assertThat(report).exists();
        assertThat(request).exists();
        assertThat(fresh).exists();
    }

    @Test
    void preRestoreCopiesExpireButTheNewestOfEachCollectionStays() throws IOException {
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        Path products = archive.preRestoreFolder("products");
        Manifest oldest = copy(products, "products", 10);
        Manifest middle = copy(products, "products", 20);
        Manifest newest = copy(products, "products", 30);
        Manifest onlyUsers = copy(archive.preRestoreFolder("users"), "users", 10);
        Path stalePart = file("archive/products/pre-restore/products-x.snapshot.part", Duration.ofHours(7));
        Path livePart = file("archive/products/pre-restore/products-y.snapshot.part", Duration.ofMinutes(1));

        housekeeping(archive).run();

        assertThat(LocalStore.listFolder(products, "products")).containsExactly(newest);
        assertThat(products.resolve(oldest.snapshot())).doesNotExist();
        assertThat(products.resolve(middle.fileName())).doesNotExist();
        assertThat(LocalStore.listFolder(archive.preRestoreFolder("users"), "users"))
                .containsExactly(onlyUsers);
        assertThat(stalePart).doesNotExist();
        assertThat(livePart).exists();
    }

    @Test
    void aBackupRunEndsWithHousekeeping() throws Exception {
        Path oldRun = file("state/runs/backup-2020-01-01T02-00-00Z.json", Duration.ofDays(400));
        Path oldDone = file("inbox/done/p-1-2020-01-01-00-00-00.snapshot", Duration.ofDays(400));
        try (FakeQdrant qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 10);
                TestApp app = TestApp.start(
                        dir,
                        qdrant.url(),
                        Map.of("restore.inbox.dir", dir.resolve("inbox").toString()))) {
            BackupRun run = app.backupNow();
            assertThat(run.isOk()).isTrue();
        }
        assertThat(oldRun).doesNotExist();
        assertThat(oldDone).doesNotExist();
        try (Stream<Path> runs = Files.list(dir.resolve("state/runs"))) {
            assertThat(runs.count()).as("this run's summary").isEqualTo(1);
        }
    }

    private Manifest copy(Path folder, String collection, int second) {
        Manifest m = TestBackups.make(folder, collection, second, 100);
        LocalStore.writeManifest(m, folder);
        return m;
    }

    /** A file last changed {@code age} before NOW (older still by the real clock). */
    private Path file(String relative, Duration age) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }
}
