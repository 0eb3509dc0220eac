package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** An S3 outage must not block a restore the local archive can serve. */
class BucketDownRestoreTest {
    @TempDir
    Path dir;

    S3Server s3;
    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start();
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        inbox = dir.resolve("inbox");
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        o.putAll(s3.settings("qb"));
        app = TestApp.start(dir, qdrant.url(), o);
        s3.stop(); // the bucket stops answering: every request fails to connect
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    /** A backup of products in the archive, as the backup wrote it. */
    private String archived(int second, long points) throws Exception {
        String name = Inboxes.name("products", second);
        Path folder = Files.createDirectories(app.archive.resolve("products"));
        Path file = folder.resolve(name);
        String sha = FakeQdrant.writeSnapshotTar(file, "products", points, FakeQdrant.DEFAULT_VECTORS, 1, 64 * 1024);
        Inboxes.JSON.writeValue(
                folder.resolve(name + ".json").toFile(),
                Inboxes.manifest("products", name, file, sha, points, Map.of()));
        return name;
    }

    @Test
    void theLatestLocalBackupIsRestoredWhileTheBucketIsDown() throws Exception {
        archived(10, 10);
        String newest = archived(40, 20);
        JsonNode report;
        try (LogCapture logs = new LogCapture()) {
            dropText(inbox, "a.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");
            report = report(inbox, "a.restore.json");
            // the archive had it: the bucket was not asked, so its outage cost no retries
            // the restore never asked the bucket (the metrics' own listing at start may, of the whole prefix)
            assertThat(logs.text()).doesNotContain("qb/products");
        }
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(report.path("source").asText()).isEqualTo("archive");
        assertThat(report.path("snapshot").asText()).isEqualTo(newest);
        assertThat(qdrant.points("products")).isEqualTo(20);
    }

    @Test
    void aNamedLocalBackupIsRestoredWhileTheBucketIsDown() throws Exception {
        String older = archived(10, 10);
        archived(40, 20);
        JsonNode report;
        try (LogCapture logs = new LogCapture()) {
            dropText(inbox, "b.restore.json", "{\"collection\": \"products\", \"snapshot\": \"" + older + "\"}");
            report = report(inbox, "b.restore.json");
            assertThat(logs.text()).doesNotContain("qb/products");
        }
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(report.path("snapshot").asText()).isEqualTo(older);
        assertThat(qdrant.points("products")).isEqualTo(10);
    }

    @Test
    void withNoLocalBackupTheMessageNamesTheBucketAndTheFix() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            dropText(inbox, "c.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");

            JsonNode report = report(inbox, "c.restore.json");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("REFUSED");
            String reason = report.path("reason").asText();
            assertThat(reason)
                    .contains("products")
                    .contains(s3.bucket())
                    .contains("not in the local archive")
                    .contains("try again when the bucket answers");
            assertThat(qdrant.collectionExists("products")).isFalse();
            assertThat(logs.text() + report).doesNotContain(s3.secretKey());
        }
    }
}
