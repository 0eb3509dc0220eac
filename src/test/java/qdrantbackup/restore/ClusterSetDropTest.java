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

/**
 * A cluster set is listed in the catalogue with its nodes and shards, and restored when dropped into the inbox
 * whole: its shard files wait for the drop of its first file with the manifest, and are filed with it.
 */
class ClusterSetDropTest {
    @TempDir
    Path dir;

    @Test
    void aSetIsCataloguedAndRestoredWhenDroppedWhole() throws Exception {
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

                // the shard files first, as a copy of a folder may bring them: none is taken for a drop
                Path inbox = dir.resolve("inbox");
                for (Manifest.DataFile f : m.dataFiles().subList(1, 6)) {
                    Inboxes.drop(inbox, folder.resolve(f.name()), f.name());
                }
                app.close();
                try (FakeCluster target = FakeCluster.start(2);
                        TestApp restorer = TestApp.start(dir, target.url(0), Inboxes.settings(dir))) {
                    Inboxes.drop(inbox, folder.resolve(m.snapshot()), m.snapshot());
                    Inboxes.drop(inbox, manifestFile, m.fileName());
                    JsonNode report = Inboxes.report(inbox, m.snapshot());
                    assertThat(report.path("outcome").asText())
                            .as(report.toString())
                            .isEqualTo("RESTORED");
                    assertThat(target.pointIds("products")).isEqualTo(cluster.pointIds("products"));
                    assertThat(target.requests("POST", "/collections/products/shards/\\d+/snapshots/upload"))
                            .hasSize(6);
                    for (Manifest.DataFile f : m.dataFiles()) {
                        assertThat(inbox.resolve("done").resolve(f.name()))
                                .as(f.name())
                                .exists();
                        assertThat(inbox.resolve(f.name())).doesNotExist();
                    }
                    assertThat(inbox.resolve("done").resolve(m.fileName())).exists();
                }
            }
        }
    }

    @Test
    void aSetManifestNamingAFileOutsideTheInboxIsRefusedUntouched() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(3)) {
            cluster.collection("products", 3, 1).points("products", 90);
            try (TestApp app = TestApp.start(dir, cluster.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("products").isOk()).isTrue();
                Path folder = app.archive.resolve("products");
                Path manifestFile;
                try (var files = Files.list(folder)) {
                    manifestFile = files.filter(p -> p.toString().endsWith(".json"))
                            .findFirst()
                            .orElseThrow();
                }
                com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifestFile.toFile());
                ((com.fasterxml.jackson.databind.node.ObjectNode)
                                json.path("files").get(1))
                        .put("name", "../outside.snapshot");
                Files.writeString(dir.resolve("outside.snapshot"), "not to be moved");
                Manifest m = LocalStore.readManifest(manifestFile).orElseThrow();
                Path inbox = dir.resolve("inbox");
                Inboxes.drop(inbox, folder.resolve(m.snapshot()), m.snapshot());
                Inboxes.dropText(inbox, m.fileName(), json.toString());
                JsonNode report = Inboxes.report(inbox, m.snapshot());
                assertThat(report.toString()).contains("names the file ../outside.snapshot");
                assertThat(dir.resolve("outside.snapshot")).hasContent("not to be moved");
                assertThat(cluster.points("products")).isEqualTo(90);
                assertThat(cluster.requests("POST", ".*/upload")).isEmpty();
            }
        }
    }
}
