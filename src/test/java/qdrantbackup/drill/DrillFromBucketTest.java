package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** A drill on a machine whose archive lacks the backup: it comes from the bucket (a real S3 API server). */
class DrillFromBucketTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 80);
        s3 = S3Server.start("backups");
        Map<String, String> o = s3.settings("qb");
        o.put("offsite.path-style", "true");
        app = TestApp.start(dir, qdrant.url(), o);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    @Test
    void theBucketsNewestBackupIsFetchedProvenAndItsDownloadRemoved() throws Exception {
        BackupRun run = app.backupNow("products");
        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        String snapshot = run.getJobs().get(0).getSnapshot();
        try (Stream<Path> files = Files.list(app.archive.resolve("products"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }

        @SuppressWarnings("unchecked")
        List<DrillReport> reports = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "products", List.class);

        DrillReport r = reports.get(0);
        assertThat(r.ok).as(r.reason + " " + r.checks).isTrue();
        assertThat(r.source).isEqualTo("offsite");
        assertThat(r.snapshot).isEqualTo(snapshot);
        assertThat(r.checks).extracting(DrillReport.Check::name).contains("points", "search", "recall");
        assertThat(qdrant.collectionNames()).containsExactly("products");
        try (Stream<Path> left = Files.list(app.state.resolve("drills"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("only the report stays, not the download")
                    .singleElement()
                    .asString()
                    .startsWith("products-")
                    .endsWith(".json");
        }
        assertThat(app.archive.resolve("products")).isEmptyDirectory();
    }
}
