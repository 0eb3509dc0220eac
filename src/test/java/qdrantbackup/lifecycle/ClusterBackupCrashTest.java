package qdrantbackup.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.Members;

/** A daemon halted with a cluster set's shard files in the archive and no manifest yet: the next start heals. */
class ClusterBackupCrashTest {
    @TempDir
    Path dir;

    private final Members members = new Members();
    private final FakeCluster cluster = FakeCluster.start(3);

    @AfterEach
    void stop() {
        members.close();
        cluster.close();
    }

    @Test
    void killedBeforeTheSetsManifestTheNextStartDeletesThePartialSetAndBacksUpWhole() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630);
        Members.Instance first = daemon("backup.before-manifest");
        first.post("/backup");
        Crashes.halted(first);
        assertThat(files(".snapshot")).as("the six shard files, downloaded").hasSize(6);
        assertThat(files(".snapshot.json")).isEmpty();

        Members.Instance second = Crashes.backupRun(daemon(null));

        assertThat(second.logText()).contains("a shard file of a cluster set cut off before its manifest");
        List<Manifest> sets = new LocalStore(dir.resolve("archive")).list("products");
        assertThat(sets).singleElement().satisfies(m -> {
            assertThat(m.cluster()).isNotNull();
            assertThat(m.cluster().pointCount()).isEqualTo(630);
        });
        assertThat(files(".snapshot"))
                .as("only the whole set's files: none of the cut-off set, nothing moved aside")
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(sets.get(0).dataFiles().stream()
                        .map(Manifest.DataFile::name)
                        .toList());
        assertThat(files(".part")).isEmpty();
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.serverSnapshots(node))
                    .as("node " + node + "'s disk")
                    .isEmpty();
        }
    }

    private Members.Instance daemon(String crashAt) throws IOException {
        return Crashes.ready(members.start(
                "a", dir, Crashes.daemon(cluster.url(0), dir.resolve("archive"), Map.of()), Crashes.at(crashAt)));
    }

    private List<Path> files(String suffix) throws IOException {
        Path archive = dir.resolve("archive");
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(archive)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
