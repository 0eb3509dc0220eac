package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** A collection that takes writes while its snapshot is made is backed up and restored all the same. */
class LiveWritesTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 1200);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    @Test
    void writesDuringTheSnapshotAreRecordedAsARangeAndTheRestoreChecksIt() throws Exception {
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        app = TestApp.start(dir, qdrant.url(), o);
        qdrant.writesDuringSnapshot("products", 50);
        BackupRun run;
        try (LogCapture logs = new LogCapture()) {
            run = app.backupNow();
            assertThat(logs.text())
                    .contains("products: the collection took writes while the snapshot was made"
                            + " (1200 points before, 1250 after)");
        }
        BackupJob job = run.getJobs().get(0);
        assertThat(job.getResult()).isEqualTo(BackupJob.Result.OK);
        JsonNode manifest = Inboxes.JSON.readTree(app.archive
                .resolve("products")
                .resolve(job.getSnapshot() + ".json")
                .toFile());
        assertThat(manifest.path("pointCount").asLong()).isEqualTo(1200);
        assertThat(manifest.path("pointCountAfter").asLong()).isEqualTo(1250);
        assertThat(manifest.path("changedDuringSnapshot").asBoolean()).isTrue();

        Path inbox = dir.resolve("inbox");
        dropText(
                inbox,
                "check.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products_check\"}");
        JsonNode r = report(inbox, "check.restore.json");
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("RESTORED");
        assertThat(r.toString()).contains("1200 within 1200..1250 in the manifest (range");
        assertThat(qdrant.points("products_check")).isEqualTo(1200);
    }

    @Test
    void withoutWritesTheCountIsExact() throws Exception {
        app = TestApp.start(dir, qdrant.url(), new HashMap<>(Inboxes.settings(dir)));
        BackupJob job = app.backupNow().getJobs().get(0);
        JsonNode manifest = Inboxes.JSON.readTree(app.archive
                .resolve("products")
                .resolve(job.getSnapshot() + ".json")
                .toFile());
        assertThat(manifest.path("pointCount").asLong()).isEqualTo(1200);
        assertThat(manifest.path("changedDuringSnapshot").asBoolean()).isFalse();
        Path inbox = dir.resolve("inbox");
        dropText(
                inbox,
                "check.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products_check\"}");
        JsonNode r = report(inbox, "check.restore.json");
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("RESTORED");
        assertThat(r.toString()).contains("1200 = 1200 in the manifest (exact count)");
    }
}
