package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.catalogue.Catalogue;
import qdrantbackup.catalogue.CatalogueEntry;
import qdrantbackup.catalogue.CatalogueText;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.TestApp;

/** A cluster set is listed in the catalogue with its nodes and shards; dropping it is refused, nothing changed. */
class ClusterSetRefusedTest {
    @TempDir
    Path dir;

    @Test
    void aSetIsCataloguedAndItsRestoreRefusedWithOneLine() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(3)) {
            cluster.collection("products", 6, 2).points("products", 630);
            try (TestApp app = TestApp.start(dir, cluster.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("products").isOk()).isTrue();
                Path folder = app.archive.resolve("products");
                Path manifestFile;
                try (var files = Files.list(folder)) {
                    manifestFile = files.filter(p -> p.toString().endsWith(".json"))
                            .findFirst()
                            .orElseThrow();
                }
                Manifest m = LocalStore.readManifest(manifestFile).orElseThrow();

                List<CatalogueEntry> entries = new Catalogue(
                                new LocalStore(app.archive),
                                BackupStore.NONE,
                                RetentionPolicy.defaults(),
                                RetentionPolicy.defaults())
                        .entries("products");
                assertThat(entries).singleElement().satisfies(e -> {
                    assertThat(e.size()).isEqualTo(m.totalSize());
                    assertThat(e.set().nodes()).hasSize(3);
                    assertThat(e.set().shards()).containsOnlyKeys(0, 1, 2, 3, 4, 5);
                });
                assertThat(CatalogueText.format(entries)).contains("set: 6 shard(s) from 3 node(s)");

                Path inbox = dir.resolve("inbox");
                Inboxes.drop(inbox, folder.resolve(m.snapshot()), m.snapshot());
                Inboxes.drop(inbox, manifestFile, m.fileName());
                JsonNode report = Inboxes.report(inbox, m.snapshot());
                assertThat(report.toString()).contains("is a cluster set of 6 shard snapshot(s) from 3 node(s)");
                assertThat(Files.exists(inbox.resolve("failed").resolve(m.snapshot())))
                        .isTrue();
                assertThat(cluster.points("products")).isEqualTo(630);
                assertThat(cluster.requests("POST", ".*/upload")).isEmpty();
                assertThat(cluster.requests("DELETE", "/collections/products")).isEmpty();
            }
        }
    }
}
