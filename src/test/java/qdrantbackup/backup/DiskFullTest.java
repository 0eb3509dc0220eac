package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;
import qdrantbackup.transfer.DiskSpace;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.Transfers;

/**
 * A full disk is the disk's problem: refused before the download when the snapshot cannot fit, never
 * retried when the disk fills during it, reported with the folder, the bytes needed and the bytes free;
 * the other collections go on. Where the machine lets the test mount one, on a real 8 MiB tmpfs.
 */
class DiskFullTest {
    private static final long MIB = 1024 * 1024;
    private static final String DOWNLOADS = "/collections/big/snapshots/[^/]+\\.snapshot";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Path small;
    boolean mounted;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("big", 10)
                .snapshotSize("big", 12 * MIB)
                .collection("small", 10);
        small = Files.createDirectories(dir.resolve("small-disk"));
    }

    @AfterEach
    void stop() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
        qdrant.close();
    }

    /** An 8 MiB tmpfs at {@link #small}, or the test is skipped with a line saying why. */
    private void mountSmallDisk() throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes()).strip();
        mounted = p.waitFor() == 0;
        Assumptions.assumeTrue(
                mounted,
                "skipped: cannot mount an 8 MiB tmpfs here (needs root): " + said + " — the unit tests cover it");
    }

    private QdrantClient client() {
        return new QdrantClient(new QdrantSettings(
                qdrant.url(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                2,
                Duration.ofMillis(10)));
    }

    @Test
    void onASmallDiskTheBigCollectionFailsWithTheNumbersAndTheOthersGoOn() throws Exception {
        mountSmallDisk();
        BackupRun run;
        try (TestApp app = TestApp.start(dir, qdrant.url(), Map.of("archive.dir", small.toString()))) {
            run = app.backupNow();
        }

        BackupJob big = run.getJobs().stream()
                .filter(j -> j.getCollection().equals("big"))
                .findFirst()
                .orElseThrow();
        assertThat(big.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(big.getError())
                .contains("no space left on the disk of " + small.resolve("big"))
                .containsPattern("it needs 1\\d{7} bytes, \\d+ bytes are free")
                .doesNotContainIgnoringCase("qdrant at");
        assertThat(run.getJobs())
                .filteredOn(j -> j.getCollection().equals("small"))
                .extracting(BackupJob::getResult)
                .containsExactly(BackupJob.Result.OK);
        assertThat(qdrant.countRequests("GET", DOWNLOADS)).isZero();
    }

    @Test
    void aDiskThatFillsDuringTheDownloadIsNotRetriedAndKeepsNoPart() throws Exception {
        mountSmallDisk();
        QdrantClient client = client();
        SnapshotInfo snapshot = client.createSnapshot("big");
        // the free space looked fine (another writer filled the disk after the check)
        SnapshotDownloader downloader = new SnapshotDownloader(
                client, new Retry(2, Duration.ofMillis(10)), new Transfers(Duration.ZERO), d -> Long.MAX_VALUE);

        assertThatThrownBy(() -> downloader.fetch("big", small, snapshot, snapshot.name(), null))
                .isInstanceOf(DiskSpace.DiskFullException.class)
                .hasMessageContaining("no space left on the disk of " + small)
                .hasMessageContaining("for snapshot " + snapshot.name());
        assertThat(qdrant.countRequests("GET", DOWNLOADS)).isEqualTo(1);
        try (Stream<Path> left = Files.list(small)) {
            assertThat(left).noneMatch(p -> p.toString().endsWith(SafeFiles.PART));
        }
    }

    @Test
    void aSnapshotBiggerThanTheFreeSpaceIsRefusedBeforeAnyDownload() {
        QdrantClient client = client();
        SnapshotInfo snapshot = client.createSnapshot("big");
        SnapshotDownloader downloader = new SnapshotDownloader(
                client, new Retry(2, Duration.ofMillis(10)), new Transfers(Duration.ZERO), d -> 5 * MIB);

        assertThatThrownBy(() -> downloader.fetch("big", dir, snapshot, snapshot.name(), null))
                .isInstanceOf(DiskSpace.DiskFullException.class)
                .hasMessage("no space left on the disk of " + dir + " for snapshot " + snapshot.name() + ": it needs "
                        + DiskSpace.needed(12 * MIB) + " bytes, " + 5 * MIB + " bytes are free; free some space or"
                        + " move archive.dir to a larger disk (the other collections go on)");
        assertThat(qdrant.countRequests("GET", DOWNLOADS)).isZero();
    }
}
