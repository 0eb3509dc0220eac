package qdrantbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.store.s3.Buckets;
import qdrantbackup.store.s3.S3Store;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** A cluster set goes offsite whole, and retention expires it whole, in the archive and in the bucket. */
class ClusterSetOffsiteTest {
    @TempDir
    java.nio.file.Path dir;

    private final FakeCluster cluster = FakeCluster.start(3);
    private final S3Server s3 = S3Server.start();
    private TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        s3.close();
        cluster.close();
    }

    private S3Store bucket() {
        return S3Store.create(Buckets.settings(s3.bucket(), "sets")
                .withEndpoint(s3.endpoint(), true)
                .withCredentials(s3.accessKey(), s3.secretKey()));
    }

    @Test
    void aSetIsShippedWholeAndAnOlderSetOfTheSameDayExpiresWhole() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630);
        app = TestApp.start(dir, cluster.url(0), s3.settings("sets"));
        BackupRun first = app.backupNow("products");
        assertThat(first.isOk()).as(first.getJobs().get(0).line()).isTrue();
        Manifest older = new LocalStore(app.archive).list("products").get(0);
        assertThat(older.dataFiles()).hasSize(6);
        try (S3Store bucket = bucket()) {
            assertThat(bucket.list("products")).extracting(Manifest::snapshot).containsExactly(older.snapshot());
            assertThat(bucket.has(older))
                    .as("all six shard files, sizes and SHA-256 as the manifest says")
                    .isTrue();
        }

        BackupRun second = app.backupNow("products");
        assertThat(second.isOk()).as(second.getJobs().get(0).line()).isTrue();
        // a day keeps its newest backup: the first set goes, every file of it, in both places
        List<Manifest> local = new LocalStore(app.archive).list("products");
        assertThat(local).hasSize(1);
        assertThat(local.get(0).snapshot()).isNotEqualTo(older.snapshot());
        try (S3Store bucket = bucket()) {
            assertThat(bucket.list("products"))
                    .extracting(Manifest::snapshot)
                    .containsExactly(local.get(0).snapshot());
            for (Manifest.DataFile f : older.dataFiles()) {
                assertThat(bucket.names("products")).as(f.name()).doesNotContain(f.name());
                assertThat(app.archive.resolve("products").resolve(f.name())).doesNotExist();
            }
        }
    }
}
