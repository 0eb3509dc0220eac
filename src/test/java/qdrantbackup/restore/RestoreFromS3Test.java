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
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.store.s3.KeyLayout;
import qdrantbackup.store.s3.OffsiteSettings;
import qdrantbackup.store.s3.S3Objects;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** Disaster recovery on a new machine: the local archive is empty, the backups are in the bucket (S3Proxy). */
class RestoreFromS3Test {
    @TempDir
    Path dir;

    S3Server s3;
    S3Objects bucket;
    KeyLayout layout;
    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start();
        bucket = S3Objects.using(s3.client(), settings());
        layout = new KeyLayout("qb");
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        inbox = dir.resolve("inbox");
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        o.putAll(s3.settings("qb"));
        o.put("offsite.path-style", "true");
        app = TestApp.start(dir, qdrant.url(), o);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    private OffsiteSettings settings() {
        return qdrantbackup.store.s3.Buckets.settings(s3.bucket(), "qb")
                .withEndpoint(s3.endpoint(), true)
                .withCredentials(s3.accessKey(), s3.secretKey());
    }

    /** Ships a backup of products to the bucket as the backup does: snapshot, then manifest. */
    private String shipped(int second, long points, String metadataSha) throws Exception {
        String name = Inboxes.name("products", second);
        Path file = dir.resolve("made").resolve(name);
        Files.createDirectories(file.getParent());
        String sha = FakeQdrant.writeSnapshotTar(file, "products", points, FakeQdrant.DEFAULT_VECTORS, 1, 128 * 1024);
        Path manifest = dir.resolve("made").resolve(name + ".json");
        Inboxes.JSON.writeValue(
                manifest.toFile(), Inboxes.manifest("products", name, file, sha, points, Map.of("shop", "products")));
        if (metadataSha == null) {
            bucket.put(layout.key("products", name), file, sha, null);
        } else {
            // an object damaged in the bucket: bytes that do not match its recorded sha256 (the tool never ships one)
            s3.client()
                    .putObject(
                            b -> b.bucket(s3.bucket())
                                    .key(layout.key("products", name))
                                    .metadata(Map.of(S3Objects.SHA256_METADATA, metadataSha)),
                            software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
        }
        bucket.put(layout.key("products", name + ".json"), manifest, null, null);
        return name;
    }

    @Test
    void theLatestBackupComesFromTheBucketIntoTheArchiveAndIsRestored() throws Exception {
        shipped(10, 10, null);
        String newest = shipped(40, 20, null);
        try (LogCapture logs = new LogCapture()) {
            dropText(
                    inbox,
                    "dr.restore.json",
                    "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products_dr\"}");

            JsonNode report = report(inbox, "dr.restore.json");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
            assertThat(report.path("source").asText()).isEqualTo("offsite");
            assertThat(report.path("snapshot").asText()).isEqualTo(newest);
            assertThat(qdrant.points("products_dr")).isEqualTo(20);
            assertThat(qdrant.aliases()).containsEntry("shop", "products_dr");
            // the downloaded backup is now a local one too: a second restore needs no download
            assertThat(new LocalStore(app.archive).list("products"))
                    .extracting(Manifest::snapshot)
                    .containsExactly(newest);
            assertThat(logs.text() + report).doesNotContain(s3.secretKey());
        }
    }

    @Test
    void aDamagedObjectInTheBucketIsNotRestoredAndNothingChanges() throws Exception {
        String name = shipped(10, 10, "cd".repeat(32));
        dropText(inbox, "dr.restore.json", "{\"collection\": \"products\", \"snapshot\": \"" + name + "\"}");

        JsonNode report = report(inbox, "dr.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("reason").asText()).contains("sha256 mismatch");
        assertThat(qdrant.collectionExists("products")).isFalse();
        assertThat(qdrant.countRequests("POST", ".*/upload")).isZero();
        assertThat(new LocalStore(app.archive).list("products")).isEmpty();
        try (var files = Files.list(app.archive.resolve("products"))) {
            assertThat(files).as("no partial download left behind").isEmpty();
        }
    }
}
