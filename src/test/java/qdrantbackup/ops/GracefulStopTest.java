package qdrantbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** A stop in the middle of a download: finished within the shutdown timeout, or stopped without a partial file. */
class GracefulStopTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .snapshotSize("products", 6 * MIB)
                .collection("users", 40);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    @Test
    void aStopMidDownloadLeavesNoPartFileAndTheNextStartReportsIt() throws Exception {
        qdrant.slowDownload("products", Duration.ofSeconds(30), 1);
        app = TestApp.start(dir, qdrant.url(), Map.of("camel.main.shutdown-timeout", "1"));
        CompletableFuture<BackupRun> run = CompletableFuture.supplyAsync(() -> app.backupNow());
        await().atMost(Duration.ofSeconds(20)).until(() -> partFiles().size() == 1);

        long t0 = System.nanoTime();
        try (LogCapture logs = new LogCapture()) {
            app.close();
            app = null;
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            assertThat(logs.text()).contains("1 transfer(s) did not finish within camel.main.shutdown-timeout");
            assertThat(logs.lines())
                    .anyMatch(
                            l -> l.matches(
                                    "WARN download products-\\S+\\.snapshot: stopped, its partial file \\S+\\.part was deleted"));
        }
        assertThat(run).isCompletedExceptionally(); // Camel released the waiting caller when it stopped
        assertThat(partFiles()).isEmpty();
        assertThat(qdrant.countRequests("GET", "/collections/products/snapshots/.*"))
                .as("not retried")
                .isEqualTo(1);
        assertThat(dir.resolve("state/backup-running.json")).exists();
        String started = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("state/backup-running.json").toFile())
                .path("started")
                .asText();

        // a partial file left by a crash is cleaned too
        Path stray = Files.writeString(
                Files.createDirectories(dir.resolve("archive/users")).resolve("users-1.snapshot.part"), "half");
        try (LogCapture logs = new LogCapture()) {
            app = TestApp.start(dir, qdrant.url(), Map.of());
            assertThat(logs.lines())
                    .anyMatch(l -> l.startsWith("WARN the backup run started " + started
                                    + " (schedule) was interrupted (the application was stopped): products")
                            && l.contains("did not finish"));
            assertThat(logs.lines())
                    .anyMatch(
                            l -> l.startsWith("WARN deleted 1 partial file(s)") && l.contains("users-1.snapshot.part"));
        }
        assertThat(stray).doesNotExist();
        assertThat(dir.resolve("state/backup-running.json")).doesNotExist();
        assertThat(app.backupNow().isOk()).isTrue();
    }

    @Test
    void aTransferThatEndsWithinTheShutdownTimeoutFinishes() throws Exception {
        qdrant.slowDownload("products", Duration.ofSeconds(3), 1);
        app = TestApp.start(dir, qdrant.url(), Map.of("camel.main.shutdown-timeout", "30"));
        CompletableFuture<BackupRun> run = CompletableFuture.supplyAsync(() -> app.backupNow("products"));
        await().atMost(Duration.ofSeconds(20)).until(() -> partFiles().size() == 1);
        app.close();
        app = null;

        assertThat(run.get().isOk()).isTrue();
        assertThat(partFiles()).isEmpty();
        assertThat(dir.resolve("archive/products")
                        .resolve(run.get().getJobs().get(0).getSnapshot()))
                .exists();
        assertThat(dir.resolve("state/backup-running.json")).doesNotExist();
    }

    private List<Path> partFiles() throws Exception {
        Path archive = dir.resolve("archive");
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(archive)) {
            return files.filter(p -> p.toString().endsWith(".part")).toList();
        }
    }
}
