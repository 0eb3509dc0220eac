package qdrantbackup.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** Long transfers log bytes, total, percent, MB/s and ETA at INFO every progress.interval. */
class ProgressLinesTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .snapshotSize("products", 4 * MIB);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
        TransferLog.interval(0.1);
    }

    @Test
    void aDownloadOfAFewMegabytesLogsItsProgress() throws Exception {
        qdrant.slowDownload("products", Duration.ofMillis(2500), 1);
        try (LogCapture logs = new LogCapture()) {
            app = TestApp.start(dir, qdrant.url(), Map.of("progress.interval", "300ms"));
            BackupRun run = app.backupNow("products");
            assertThat(run.isOk()).isTrue();

            List<String> progress = logs.lines().stream()
                    .filter(
                            l -> l.matches(
                                    "INFO download products-\\S+\\.snapshot: \\d+\\.\\d MiB of 4\\.0 MiB \\(\\d+%\\), \\d+\\.\\d MB/s, ETA \\d+s"))
                    .toList();
            assertThat(progress).as(logs.text()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(logs.lines())
                    .anyMatch(
                            l -> l.matches(
                                    "INFO download products-\\S+\\.snapshot: done, 4\\.0 MiB of 4\\.0 MiB \\(100%\\), \\d+\\.\\d MB/s, in \\d+\\.\\ds"));
        }
    }

    @Test
    void anUploadIntoQdrantReportsThroughTheSameLog() throws Exception {
        // restores stream the snapshot up with QdrantClient.uploadSnapshot(..., log::bytes)
        Path file = dir.resolve("users.snapshot");
        String sha = FakeQdrant.writeSnapshotTar(file, "users", 5, FakeQdrant.DEFAULT_VECTORS, 1, 3 * MIB);
        QdrantClient client = new QdrantClient(new QdrantSettings(
                qdrant.url(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                0,
                Duration.ofMillis(10)));
        TransferLog.interval(0);
        try (LogCapture logs = new LogCapture()) {
            TransferLog log = new TransferLog("restore users.snapshot into users");
            client.uploadSnapshot("users", file, "users.snapshot", sha, log::bytes);
            log.done(3 * MIB);
            assertThat(logs.lines())
                    .anyMatch(
                            l -> l.matches(
                                    "INFO restore users\\.snapshot into users: 1\\.0 MiB of 3\\.0 MiB \\(33%\\), \\d+\\.\\d MB/s, ETA \\d+s"));
            assertThat(logs.lines())
                    .anyMatch(l -> l.startsWith("INFO restore users.snapshot into users: done, 3.0 MiB"));
        }
        assertThat(qdrant.collectionExists("users")).isTrue();
    }

    @Test
    void theLineSaysBytesTotalPercentRateAndEta() {
        assertThat(TransferLog.line(MIB, 4 * MIB, 1_000_000_000L))
                .isEqualTo("1.0 MiB of 4.0 MiB (25%), 1.0 MB/s, ETA 3s");
        assertThat(TransferLog.line(3 * MIB, -1, 2_000_000_000L)).isEqualTo("3.0 MiB, 1.6 MB/s");
        assertThat(TransferLog.line(4 * MIB, 4 * MIB, 2_000_000_000L))
                .isEqualTo("4.0 MiB of 4.0 MiB (100%), 2.1 MB/s, in 2.0s");
    }
}
