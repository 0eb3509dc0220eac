package qdrantbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** The backup chain shipping to a real S3 API server (S3Proxy, filesystem back end). */
class OffsiteBackupTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    TestApp app;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 900)
                .snapshotSize("products", 12 * 1024 * 1024)
                .collection("users", 30);
        s3 = S3Server.start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
        s3.close();
    }

    private Map<String, String> offsite() {
        Map<String, String> o = s3.settings("nightly");
        o.put("offsite.part-size", "5MB");
        return o;
    }

    @Test
    void everyBackupLandsInTheBucketWithItsSha256() throws Exception {
        app = TestApp.start(dir, qdrant.url(), offsite());
        try (LogCapture logs = new LogCapture()) {
            BackupRun run = app.backupNow();

            assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
            for (BackupJob job : run.getJobs()) {
                Path archived = app.archive.resolve(job.getCollection()).resolve(job.getSnapshot());
                String key = "nightly/" + job.getCollection() + "/" + job.getSnapshot();
                assertThat(FakeQdrant.sha256(s3.bytes(key))).isEqualTo(FakeQdrant.sha256(archived));
                assertThat(s3.metadata(key)).containsEntry("sha256", job.getSha256());
                assertThat(s3.bytes(key + ".json"))
                        .isEqualTo(Files.readAllBytes(archived.resolveSibling(job.getSnapshot() + ".json")));
            }
            assertThat(s3.listMultipartUploads()).isEmpty();
            // the 12 MiB snapshot's 5 MiB parts went up while it downloaded, completed after verification
            assertThat(logs.lines())
                    .anyMatch(l -> l.contains("uploaded products-") && l.contains("parts sent during the download"));
            // a 12 MiB snapshot in 5 MiB parts shows its upload progress
            assertThat(logs.lines()).anyMatch(l -> l.contains("upload products-") && l.contains("MB/s"));
            assertThat(logs.text()).doesNotContain(s3.secretKey());
        }
    }

    @Test
    void partsGoUpDuringTheDownloadAndACorruptDownloadAbortsThemBeforeTheRetry() throws Exception {
        qdrant.corruptDownload("products", 1);
        app = TestApp.start(dir, qdrant.url(), offsite());
        try (LogCapture logs = new LogCapture()) {
            BackupRun run = app.backupNow("products");

            assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
            BackupJob job = run.getJobs().get(0);
            String key = "nightly/products/" + job.getSnapshot();
            Path archived = app.archive.resolve("products").resolve(job.getSnapshot());
            assertThat(FakeQdrant.sha256(s3.bytes(key))).isEqualTo(FakeQdrant.sha256(archived));
            assertThat(s3.listMultipartUploads()).isEmpty();
            assertThat(s3.backendMultipartUploads()).isEmpty();
            // the corrupt first download's parts were aborted; the verified retry went up once archived
            assertThat(logs.lines()).anyMatch(l -> l.contains("aborted multipart upload"));
            assertThat(logs.lines()).noneMatch(l -> l.contains("parts sent during the download"));
            assertThat(logs.lines()).anyMatch(l -> l.contains("uploaded " + job.getSnapshot() + " ("));
        }
    }

    @Test
    void aRefusedUploadKeepsTheArchiveLeavesNoPartsAndTheNextRunHeals() throws Exception {
        s3.failPartsFrom(3);
        app = TestApp.start(dir, qdrant.url(), offsite());
        BackupRun first = app.backupNow();

        BackupJob products = first.getJobs().get(0);
        assertThat(products.getResult()).isEqualTo(BackupJob.Result.LOCAL_ONLY);
        assertThat(products.getError()).isNotBlank();
        assertThat(first.isOk()).isFalse();
        assertThat(app.archive.resolve("products").resolve(products.getSnapshot()))
                .exists();
        assertThat(s3.keys("nightly/products/")).isEmpty();
        assertThat(s3.listMultipartUploads()).isEmpty();
        assertThat(s3.backendMultipartUploads()).isEmpty();

        s3.failPartsFrom(0);
        BackupRun second = app.backupNow("users");

        assertThat(second.isOk()).isTrue();
        // the first night's products backup was caught up
        assertThat(s3.keys("nightly/products/"))
                .containsExactlyInAnyOrder(
                        "nightly/products/" + products.getSnapshot(),
                        "nightly/products/" + products.getSnapshot() + ".json");
        assertThat(s3.metadata("nightly/products/" + products.getSnapshot()))
                .containsEntry("sha256", products.getSha256());
    }

    @Test
    void wrongCredentialsAreNamedWithoutShowingThem() throws Exception {
        Map<String, String> settings = offsite();
        settings.put("offsite.secret-key", "not-the-secret-0123456789");
        settings.put("offsite.check-on-start", "false"); // the start-up refusal: ops.BucketCheckTest
        app = TestApp.start(dir, qdrant.url(), settings);
        try (LogCapture logs = new LogCapture()) {
            BackupRun run = app.backupNow("users");

            BackupJob users = run.getJobs().get(0);
            assertThat(users.getResult()).isEqualTo(BackupJob.Result.LOCAL_ONLY);
            assertThat(users.getError()).contains("credentials");
            assertThat(logs.text()).doesNotContain("not-the-secret-0123456789");
            assertThat(app.archive.resolve("users").resolve(users.getSnapshot()))
                    .exists();
        }
    }

    @Test
    void aMissingBucketIsNamed() throws Exception {
        Map<String, String> settings = offsite();
        settings.put("offsite.bucket", "no-such-bucket");
        settings.put("offsite.check-on-start", "false"); // the start-up refusal: ops.BucketCheckTest
        app = TestApp.start(dir, qdrant.url(), settings);
        BackupRun run = app.backupNow("users");
        assertThat(run.getJobs().get(0).getError()).contains("no-such-bucket").contains("offsite.bucket");
    }
}
